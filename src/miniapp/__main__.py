from miniapp.cli import main

main()
