from setuptools import find_packages, setup

setup(
    name="tap-kustomer",
    version="0.1.0",
    description="Singer tap for the Kustomer CRM API: incremental, resumable, nothing lost",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["tap_kustomer", "tap_kustomer.*"]),
    package_data={"tap_kustomer": ["schemas/*.json"]},
    # The toolkit the design names: singer-python (the Singer protocol), requests (HTTP), backoff
    # (retries), pendulum (instants). orjson encodes RECORD lines about 4x faster than the standard
    # library (README, "Built on singer-python, backoff and pendulum"); the tap falls back to the
    # standard library where it is missing.
    install_requires=[
        "singer-python>=6.0,<7",
        "requests>=2.28,<3",
        "backoff>=2.2,<3",
        "pendulum>=3.0,<4",
        "orjson>=3.9",
    ],
    # jsonschema comes with singer-python (2.x); the tests validate records with it
    extras_require={"test": ["pytest>=7", "ruff>=0.4"]},
    entry_points={"console_scripts": ["tap-kustomer=tap_kustomer:main"]},
)
