# These rule files are broken on purpose: tests/test_bad_inputs.py feeds them to the CLI.
# The factcheck pytest plugin must not collect them as rule tests.
collect_ignore_glob = ["*.fc", "*.yaml", "*.txt"]
