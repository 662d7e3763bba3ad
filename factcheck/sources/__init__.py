"""Articles in: `files` finds, reads and describes sources (globs, manifests, front matter,
limits); `text` decodes bytes and turns HTML into text."""
