"""The measures' shared derived tables (``cpkit.care.episodes.memo``): built once per table, never served for
another table, and let go with their table."""

import gc

import pandas as pd

from cpkit.care import episodes


def test_a_derived_table_is_built_once_per_table_and_dropped_with_it():
    built = []

    def build():
        built.append(1)
        return pd.DataFrame({"n": [len(built)]})

    header, oc3 = pd.DataFrame({"CHILD": ["1"]}), pd.DataFrame({"CHILD": ["1"]})
    first = episodes.memo((header, oc3), "leavers", build)
    assert episodes.memo((header, oc3), "leavers", build) is first  # asked again: not built again
    assert len(built) == 1
    assert episodes.memo((header, pd.DataFrame({"CHILD": ["2"]})), "leavers", build) is not first
    held = len(episodes._cache)
    # a Dask worker of `cpkit region` prepares council after council in one process: a council's tables
    # gone, its derived tables must go too, or every council's stay in memory
    del header, oc3
    gc.collect()
    assert len(episodes._cache) < held
    assert all(all(ref() is not None for ref in refs) for refs, _ in episodes._cache.values())
