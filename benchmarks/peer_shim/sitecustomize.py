"""Loaded by the peer tap's interpreter (PYTHONPATH) during the benchmark only: tap-kustomer 1.1.0
hard-codes https://api.kustomerapp.com/v1 in KustomerClient.__init__; point it at the sandbox."""

import os

try:
    from tap_kustomer import client as _client
except ImportError:  # another interpreter on the same path: nothing to do
    _client = None

if _client is not None and os.environ.get("PEER_BASE_URL"):
    _original_init = _client.KustomerClient.__init__

    def _init(self, *args, **kwargs):
        _original_init(self, *args, **kwargs)
        self.base_url = os.environ["PEER_BASE_URL"] + "/v1"

    _client.KustomerClient.__init__ = _init
