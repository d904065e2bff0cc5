"""The production settings with no server cache: the tile benchmark's uncached endpoint (bench/tile_peers.py)."""

from config.settings import *  # noqa: F401,F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
