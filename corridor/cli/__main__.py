"""``python -m corridor.cli``: the same as the ``corridor`` command."""

from corridor.cli.app import main

main()
