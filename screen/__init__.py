"""ecscreen: export-control screening against US restricted-party lists."""

__version__ = "0.1.0"
