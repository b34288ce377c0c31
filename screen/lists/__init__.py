"""List data: readers for every supported list format, validation, and the store the screening runs on.

    store = load_store(["consolidated.csv", "our-suppliers-blocklist.csv"])
    store.get("EL-huawei-technologies-co-ltd")

Formats: the official Consolidated Screening List downloads (consolidated.csv/.json, optionally
gzipped), a user CSV list (a `name` column), a relationship CSV (`subject,relation,object`) and the
project's own JSONL format, which the bundled lists use.
"""

from .store import ListStore, load_store, read_list_file, write_jsonl
from .validate import validate_path

__all__ = ["ListStore", "load_store", "read_list_file", "validate_path", "write_jsonl"]
