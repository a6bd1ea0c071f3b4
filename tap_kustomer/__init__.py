"""tap-kustomer: a Singer tap for the Kustomer CRM API."""


def main():
    from tap_kustomer.cli import main as run_main

    run_main()
