from tap_kustomer import main

main()
