"""rightsizer's Lithops bridge: runs a stage as a Lithops map and reports its timings.

Stage functions may split their time into phases with ``phase``::

    from rightsizer_lithops import phase

    def count_words(partition):
        with phase("read"):
            text = load(partition["keys"])
        with phase("compute"):
            counts = count(text)
        with phase("write"):
            store(counts)
"""
from rightsizer_lithops.phases import phase

__all__ = ["phase"]
__version__ = "0.1.0"
