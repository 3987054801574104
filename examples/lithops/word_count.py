"""A word count with numpy, one partition per worker, for rightsizer's lithops backend.

Each call makes its share of a synthetic corpus (``params.words`` words over a Zipf-distributed
vocabulary, seeded by ``params.seed`` and the partition index, so every config counts the same
words), counts them, and writes the counts with Lithops' Storage — local files on ``localhost``,
the bucket of the Lithops config on a cloud.
"""
import io

import numpy as np

from rightsizer_lithops import phase


def count_words(partition, storage):
    params = partition["params"]
    words = int(params.get("words", 2_000_000))
    vocabulary = int(params.get("vocabulary", 50_000))
    index, workers = partition["index"], partition["workers"]
    share = words // workers + (1 if index < words % workers else 0)

    with phase("read"):
        rng = np.random.default_rng([int(params.get("seed", 7)), index, workers])
        corpus = np.minimum(rng.zipf(1.3, size=share), vocabulary) - 1

    with phase("compute"):
        counts = np.bincount(corpus, minlength=vocabulary)
        top = np.argsort(counts)[::-1][:10]

    with phase("write"):
        buffer = io.BytesIO()
        np.save(buffer, counts)
        key = f"{partition['outputPrefix']}counts-{index}.npy"
        storage.put_object(storage.bucket, key, buffer.getvalue())

    return {"outputKeys": [key], "outputBytes": buffer.getbuffer().nbytes, "top": top.tolist()}
