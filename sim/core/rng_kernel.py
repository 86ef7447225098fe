"""numpy's seeding, PCG64 and its uniform and standard normal draws, compiled (numba), for many runs.

A run's named stream is numpy's ``Generator(PCG64(SeedSequence([seed, key])))`` (sim.core.rng's
``stream_generator``, kept as the reference). Building 18 such generators per run in Python costs
about 20 us each; this module does the same arithmetic in compiled code and writes each run's draws
straight into its column of the runs-innermost arrays, so ``draw_batch`` gives bit for bit the numbers
of the reference without Generator objects or a transposing copy.

What is re-implemented, from numpy's sources (the same in numpy 2.0.0 and 2.5):
- SeedSequence (numpy/random/bit_generator.pyx): the entropy words of [seed, key] (each integer
  split into 32-bit words, lowest first), ``mix_entropy`` into a pool of 4 words with ``hashmix`` and
  ``mix``, then ``generate_state(4, uint64)``;
- PCG64 (numpy/random/src/pcg64/pcg64.h, pcg64.c): the 128-bit LCG with the default 128-bit
  multiplier, ``pcg_setseq_128_srandom_r`` seeding, the XSL-RR output, 128-bit products from 64-bit
  halves as numpy's emulated path;
- ``Generator.random``: (next_uint64 >> 11) * 2**-53 (numpy/random/_common.pxd uint64_to_double);
- ``Generator.standard_normal``: the 256-layer ziggurat of random_standard_normal
  (numpy/random/src/distributions/distributions.c) with the tables of sim.core.ziggurat_tables.

Integer arithmetic is on uint64 only (numba would turn a mix of signed and unsigned into floats); the
32-bit arithmetic of SeedSequence is done in uint64 and masked to 32 bits. No fastmath: the normal
sampler's comparisons must round as numpy's C does.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.core.ziggurat_tables import FI_DOUBLE, KI_DOUBLE, WI_DOUBLE, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R

#: the largest seed the compiled path takes (numpy takes any non-negative integer; larger ones go
#: through the reference)
MAX_SEED = 2**64 - 1

_U = np.uint64
_MASK32 = _U(0xFFFFFFFF)
_SHIFT16 = _U(16)  # SeedSequence's XSHIFT: half of a 32-bit word
_SHIFT32 = _U(32)
_INIT_A = _U(0x43B0D7E5)
_MULT_A = _U(0x931E8875)
_INIT_B = _U(0x8B51F9DD)
_MULT_B = _U(0x58F38DED)
_MIX_MULT_L = _U(0xCA01F9DD)
_MIX_MULT_R = _U(0x4973F715)
_POOL = 4  # SeedSequence's default pool size (32-bit words)

_MULT_HIGH = _U(2549297995355413924)  # PCG_DEFAULT_MULTIPLIER_HIGH
_MULT_LOW = _U(4865540595714422341)  # PCG_DEFAULT_MULTIPLIER_LOW

_KI = np.array(KI_DOUBLE, dtype=np.uint64)
_WI = np.array(WI_DOUBLE, dtype=np.float64)
_FI = np.array(FI_DOUBLE, dtype=np.float64)
_TWO_M53 = 1.0 / 9007199254740992.0
_NOR_R = ZIGGURAT_NOR_R
_NOR_INV_R = ZIGGURAT_NOR_INV_R

UNIFORM = 0
NORMAL = 1


# ------------------------------------------------------------------ SeedSequence


@njit(cache=True, inline="always")
def _hashmix(value, hash_const):
    """numpy's hashmix: returns (mixed value, next hash constant), both 32-bit."""
    value = value ^ hash_const
    hash_const = (hash_const * _MULT_A) & _MASK32
    value = (value * hash_const) & _MASK32
    value = value ^ (value >> _SHIFT16)
    return value, hash_const


@njit(cache=True, inline="always")
def _mix(x, y):
    result = (_MIX_MULT_L * x - _MIX_MULT_R * y) & _MASK32
    return result ^ (result >> _SHIFT16)


@njit(cache=True)
def _seed_state(seed, key, out):
    """PCG64's state of SeedSequence([seed, key]): out[:] = state_high, state_low, inc_high, inc_low
    after numpy's pcg64_set_seed (seed < 2**64, key < 2**32)."""
    entropy = np.zeros(3, dtype=np.uint64)
    entropy[0] = seed & _MASK32
    n = 1
    if seed > _MASK32:
        entropy[1] = seed >> _SHIFT32
        n = 2
    entropy[n] = key
    n += 1
    pool = np.zeros(_POOL, dtype=np.uint64)
    h = _INIT_A
    for i in range(_POOL):  # the entropy (at most 3 words) is shorter than the pool
        word = entropy[i] if i < n else _U(0)
        pool[i], h = _hashmix(word, h)
    for i_src in range(_POOL):
        for i_dst in range(_POOL):
            if i_src != i_dst:
                hashed, h = _hashmix(pool[i_src], h)
                pool[i_dst] = _mix(pool[i_dst], hashed)
    # generate_state(4, uint64): 8 words of 32 bits from the pool, paired little-endian
    h = _INIT_B
    for w in range(4):
        lo = _U(0)
        for half in range(2):
            data = pool[(2 * w + half) % _POOL] ^ h
            h = (h * _MULT_B) & _MASK32
            data = (data * h) & _MASK32
            data = data ^ (data >> _SHIFT16)
            if half == 0:
                lo = data
            else:
                out[w] = lo | (data << _SHIFT32)
    # pcg64_set_seed(state = words 0:2, inc = words 2:4) -> pcg_setseq_128_srandom_r
    inc_high = (out[2] << _U(1)) | (out[3] >> _U(63))
    inc_low = (out[3] << _U(1)) | _U(1)
    init_high, init_low = out[0], out[1]
    out[0], out[1], out[2], out[3] = _U(0), _U(0), inc_high, inc_low
    _step(out)
    low = out[1] + init_low
    out[0] = out[0] + init_high + (_U(1) if low < init_low else _U(0))
    out[1] = low
    _step(out)


# ------------------------------------------------------------------ PCG64


@njit(cache=True, inline="always")
def _mult64(x, y):
    """The 128-bit product of two 64-bit words: (high, low), as numpy's _pcg_mult64."""
    low = x * y
    x0 = x & _MASK32
    x1 = x >> _SHIFT32
    y0 = y & _MASK32
    y1 = y >> _SHIFT32
    w0 = x0 * y0
    t = x1 * y0 + (w0 >> _SHIFT32)
    w1 = t & _MASK32
    w2 = t >> _SHIFT32
    w1 = w1 + x0 * y1
    high = x1 * y1 + w2 + (w1 >> _SHIFT32)
    return high, low


@njit(cache=True, inline="always")
def _step(st):
    """One LCG step of the 128-bit state st[0:2] (high, low) with increment st[2:4]."""
    high, low = _mult64(st[1], _MULT_LOW)
    high = high + st[0] * _MULT_LOW + st[1] * _MULT_HIGH
    new_low = low + st[3]
    st[0] = high + st[2] + (_U(1) if new_low < st[3] else _U(0))
    st[1] = new_low


@njit(cache=True, inline="always")
def _next_uint64(st):
    """PCG64's next 64-bit output: step, then XSL-RR of the new state."""
    _step(st)
    value = st[0] ^ st[1]
    rot = st[0] >> _U(58)
    return (value >> rot) | (value << ((_U(64) - rot) & _U(63)))


@njit(cache=True, inline="always")
def _next_double(st):
    return np.float64(_next_uint64(st) >> _U(11)) * _TWO_M53


@njit(cache=True, inline="always")
def _standard_normal(st):
    """numpy's random_standard_normal: the ziggurat, its wedges and its tail."""
    while True:
        r = _next_uint64(st)
        idx = np.intp(r & _U(0xFF))
        r = r >> _U(8)
        sign = r & _U(1)
        rabs = (r >> _U(1)) & _U(0x000FFFFFFFFFFFFF)
        x = np.float64(rabs) * _WI[idx]
        if sign == _U(1):
            x = -x
        if rabs < _KI[idx]:
            return x
        if idx == 0:
            while True:
                xx = -_NOR_INV_R * np.log1p(-_next_double(st))
                yy = -np.log1p(-_next_double(st))
                if yy + yy > xx * xx:
                    if (rabs >> _U(8)) & _U(1):
                        return -(_NOR_R + xx)
                    return _NOR_R + xx
        else:
            if (_FI[idx - 1] - _FI[idx]) * _next_double(st) + _FI[idx] < np.exp(-0.5 * x * x):
                return x


# ------------------------------------------------------------------ filling runs-innermost arrays

_BLOCK = 8  # runs drawn side by side: one 64-byte cache line of each output row


@njit(cache=True)
def fill_stream(out, seeds, key, dist, count, offset, stride):
    """Draw `count` numbers of the stream `key` (crc32 of its name) for every run and write run r's
    i-th number to out[offset + i * stride + r] (out: a flat float64 view of a runs-innermost array;
    seeds: uint64, one per run; dist: UNIFORM or NORMAL). Runs are drawn in blocks of a few, so each
    output row is written a cache line at a time."""
    runs = seeds.shape[0]
    states = np.empty((_BLOCK, 4), dtype=np.uint64)
    for first in range(0, runs, _BLOCK):
        block = min(_BLOCK, runs - first)
        for j in range(block):
            _seed_state(seeds[first + j], key, states[j])
        for i in range(count):
            row = offset + i * stride + first
            for j in range(block):
                if dist == NORMAL:
                    out[row + j] = _standard_normal(states[j])
                else:
                    out[row + j] = _next_double(states[j])
