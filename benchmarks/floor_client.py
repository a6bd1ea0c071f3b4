"""The floor: the least a client can do to copy the same search pages, for the benchmark's third column.

Fetches each stream's search pages with requests, decodes them with the standard json module and
writes every record, unchanged, as a Singer RECORD line. No transformation, no state, no checks.

    python benchmarks/floor_client.py BASE_URL TOKEN START PAGE_SIZE STREAM=CONTEXT [...]
"""

import json
import sys

import requests


def main():
    base, token, start, size, *pairs = sys.argv[1:]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    out = sys.stdout
    for pair in pairs:
        stream, context = pair.split("=")
        body = {
            "queryContext": context,
            "and": [{f"{context}_updated_at": {"gte": start}}],
            "sort": [{f"{context}_updated_at": "asc"}],
            "includeDeleted": True,
        }
        page = 1
        while True:
            payload = session.post(
                f"{base}/v1/customers/search", params={"page": page, "pageSize": size}, json=body, timeout=60
            ).json()
            for record in payload["data"]:
                out.write(json.dumps({"type": "RECORD", "stream": stream, "record": record}) + "\n")
            if not payload["links"].get("next"):
                break
            page += 1


if __name__ == "__main__":
    main()
