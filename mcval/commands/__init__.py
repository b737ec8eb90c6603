"""One module per command: each turns settings into output and an exit code."""
