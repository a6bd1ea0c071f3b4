"""A local fake of the Kustomer API: `python -m tap_kustomer.sandbox`, or Sandbox() in tests."""
