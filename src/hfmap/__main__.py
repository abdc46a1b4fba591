"""`python -m hfmap` runs the CLI."""

from hfmap.cli import main

if __name__ == "__main__":
    main()
