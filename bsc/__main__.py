from bsc.cli import main

main()
