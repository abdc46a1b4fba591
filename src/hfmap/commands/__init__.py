"""One module per subcommand, imported lazily by `hfmap.cli`."""
