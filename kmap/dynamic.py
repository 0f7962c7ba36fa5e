"""Facade (until the import sites move): what this module did is now split by job under
kmap.map: masks, memory, features, datasets, elements."""

from __future__ import annotations

from kmap.map.datasets import (
    DATASETS,
    PRUNE,
    PRUNE_MIN_AGE_S,
    DatasetFile,
    dataset_specs,
    prune_datasets,
    publish,
)
from kmap.map.elements import DatasetSetup, StateUpdate, state_group
from kmap.map.features import _source_dicts, event_feature, feature_collection
from kmap.map.masks import decode_mask, mask_b64
from kmap.map.memory import freeze_loaded, gc_paused, release_memory

__all__ = [
    "DATASETS",
    "PRUNE",
    "PRUNE_MIN_AGE_S",
    "DatasetFile",
    "DatasetSetup",
    "StateUpdate",
    "_source_dicts",
    "dataset_specs",
    "decode_mask",
    "event_feature",
    "feature_collection",
    "freeze_loaded",
    "gc_paused",
    "mask_b64",
    "prune_datasets",
    "publish",
    "release_memory",
    "state_group",
]
