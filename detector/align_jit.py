"""The numba kernel behind ``align``'s chaining of matched shingles (imported only when numba is installed).

Module-level, so that numba's on-disk cache (``cache=True``) finds it again in every process. ``align`` keeps a
pure-Python path that gives the same chains (a property test compares them).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def chain_pairs(this, other, gap):  # type: ignore[no-untyped-def]
    """Matched shingle positions (i, j) in ``this`` order, and whether each starts a new chain.

    Position i of ``this`` is matched when its shingle occurs in ``other``. A match continues the current
    chain when it is at most ``gap + 1`` positions after the previous one and the occurrence nearest the
    diagonal (``pj + i - pi``; the first of equals) is at most ``gap`` off it; a new chain starts at the
    value's first occurrence in ``other``.
    """
    order = np.argsort(other, kind="mergesort")  # stable: equal values keep ascending positions
    values = other[order]
    n = this.shape[0]
    ii = np.empty(n, np.int64)
    jj = np.empty(n, np.int64)
    starts = np.empty(n, np.bool_)
    count = 0
    pi = -1
    pj = -1
    for i in range(n):
        lo = np.searchsorted(values, this[i], side="left")
        hi = np.searchsorted(values, this[i], side="right")
        if lo == hi:
            continue
        if pi >= 0:
            expected = pj + (i - pi)
            best = order[lo]
            for k in range(lo + 1, hi):
                if abs(order[k] - expected) < abs(best - expected):
                    best = order[k]
            if i - pi <= gap + 1 and abs(best - expected) <= gap:
                ii[count] = i
                jj[count] = best
                starts[count] = False
                count += 1
                pi = i
                pj = best
                continue
        ii[count] = i
        jj[count] = order[lo]
        starts[count] = True
        count += 1
        pi = i
        pj = order[lo]
    return ii[:count].copy(), jj[:count].copy(), starts[:count].copy()
