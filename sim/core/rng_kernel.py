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
  multiplier, ``pcg_setseq_128_srandom_r`` seeding, the XSL-RR output (128-bit products from the
  CPU's 64 x 64 -> 128-bit multiply, an LLVM i128);
- ``Generator.random``: (next_uint64 >> 11) * 2**-53 (numpy/random/_common.pxd uint64_to_double);
- ``Generator.standard_normal``: the 256-layer ziggurat of random_standard_normal
  (numpy/random/src/distributions/distributions.c) with the tables of sim.core.ziggurat_tables.

Integer arithmetic is on uint64 only (numba would turn a mix of signed and unsigned into floats); the
32-bit arithmetic of SeedSequence is done in uint64 and masked to 32 bits. No fastmath: the normal
sampler's comparisons must round as numpy's C does.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

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
def _seed_state(seed, key):
    """PCG64's state after numpy's pcg64_set_seed from SeedSequence([seed, key]): (state_high,
    state_low, inc_high, inc_low) (seed < 2**64, key < 2**32)."""
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
    words = np.zeros(4, dtype=np.uint64)
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
                words[w] = lo | (data << _SHIFT32)
    # pcg64_set_seed(state = words 0:2, inc = words 2:4) -> pcg_setseq_128_srandom_r
    inc_high = (words[2] << _U(1)) | (words[3] >> _U(63))
    inc_low = (words[3] << _U(1)) | _U(1)
    high, low = _step(_U(0), _U(0), inc_high, inc_low)
    low = low + words[1]
    high = high + words[0] + (_U(1) if low < words[1] else _U(0))
    high, low = _step(high, low, inc_high, inc_low)
    return high, low, inc_high, inc_low


# ------------------------------------------------------------------ PCG64


@intrinsic
def _mulhi(typingctx, x, y):
    """The high 64 bits of the 128-bit product of two uint64 words (one instruction on 64-bit CPUs;
    numpy's emulated path computes the same from 32-bit halves)."""
    if x != types.uint64 or y != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        wide = ir.IntType(128)
        product = builder.mul(builder.zext(args[0], wide), builder.zext(args[1], wide))
        return builder.trunc(builder.lshr(product, ir.Constant(wide, 64)), ir.IntType(64))

    return types.uint64(types.uint64, types.uint64), codegen


@njit(cache=True, inline="always")
def _step(high, low, inc_high, inc_low):
    """One LCG step of the 128-bit state (high, low) with the increment (inc_high, inc_low). The
    state is passed and returned as scalars, so that it stays in registers."""
    new_low = low * _MULT_LOW + inc_low
    carry = _U(1) if new_low < inc_low else _U(0)
    new_high = _mulhi(low, _MULT_LOW) + high * _MULT_LOW + low * _MULT_HIGH + inc_high + carry
    return new_high, new_low


@njit(cache=True, inline="always")
def _next_uint64(high, low, inc_high, inc_low):
    """PCG64's next 64-bit output: step, then XSL-RR of the new state; returns (high, low, output)."""
    high, low = _step(high, low, inc_high, inc_low)
    value = high ^ low
    rot = high >> _U(58)
    return high, low, (value >> rot) | (value << ((_U(64) - rot) & _U(63)))


@njit(cache=True, inline="always")
def _next_double(high, low, inc_high, inc_low):
    """numpy's random(): (next_uint64 >> 11) * 2**-53; returns (high, low, number)."""
    high, low, r = _next_uint64(high, low, inc_high, inc_low)
    return high, low, np.float64(r >> _U(11)) * _TWO_M53


@njit(cache=True, inline="always")
def _standard_normal(high, low, inc_high, inc_low):
    """numpy's random_standard_normal: the ziggurat, its wedges and its tail; returns (high, low, number)."""
    while True:
        high, low, r = _next_uint64(high, low, inc_high, inc_low)
        idx = np.intp(r & _U(0xFF))
        r = r >> _U(8)
        sign = r & _U(1)
        rabs = (r >> _U(1)) & _U(0x000FFFFFFFFFFFFF)
        x = np.float64(rabs) * _WI[idx]
        if sign == _U(1):
            x = -x
        if rabs < _KI[idx]:
            return high, low, x  # 99.3% of the draws
        if idx == 0:  # the tail beyond r
            while True:
                high, low, u = _next_double(high, low, inc_high, inc_low)
                xx = -_NOR_INV_R * np.log1p(-u)
                high, low, u = _next_double(high, low, inc_high, inc_low)
                yy = -np.log1p(-u)
                if yy + yy > xx * xx:
                    if (rabs >> _U(8)) & _U(1):
                        return high, low, -(_NOR_R + xx)
                    return high, low, _NOR_R + xx
        else:  # a wedge
            high, low, u = _next_double(high, low, inc_high, inc_low)
            if (_FI[idx - 1] - _FI[idx]) * u + _FI[idx] < np.exp(-0.5 * x * x):
                return high, low, x


@njit(cache=True)
def _draw(out, count, state, dist):
    """Write the next `count` numbers of one run's stream to out[:count], in numpy's order; state
    (high, low, inc_high, inc_low) is read and advanced."""
    high, low, inc_high, inc_low = state[0], state[1], state[2], state[3]
    if dist == NORMAL:
        for i in range(count):
            high, low, out[i] = _standard_normal(high, low, inc_high, inc_low)
    else:
        for i in range(count):
            high, low, out[i] = _next_double(high, low, inc_high, inc_low)
    state[0], state[1] = high, low


# ------------------------------------------------------------------ filling runs-innermost arrays

_BLOCK = 8  # runs drawn before they are written: one 64-byte cache line of each output row
_CHUNK = 512  # numbers of each run drawn before they are written: the buffer stays in the L1 cache


@njit(cache=True)
def fill_streams(out, seeds, keys, dists, counts, offsets, strides):
    """Draw the streams of every run into out (a flat float64 buffer holding runs-innermost arrays).
    Stream k (keys[k]: crc32 of its name; dists[k]: UNIFORM or NORMAL) draws counts[k] numbers per
    run, run r's i-th number going to out[offsets[k] + i * strides[k] + r]; seeds: uint64, one per
    run. A few runs at a time draw a chunk of their numbers into a small buffer, then each output row
    is written a cache line at a time."""
    runs = seeds.shape[0]
    states = np.empty((_BLOCK, 4), dtype=np.uint64)
    buffer = np.empty((_BLOCK, _CHUNK))
    for k in range(keys.shape[0]):
        key, dist, count, offset, stride = keys[k], dists[k], counts[k], offsets[k], strides[k]
        for first in range(0, runs, _BLOCK):
            size = min(_BLOCK, runs - first)
            for j in range(size):
                states[j, 0], states[j, 1], states[j, 2], states[j, 3] = _seed_state(seeds[first + j], key)
            for start in range(0, count, _CHUNK):
                n = min(_CHUNK, count - start)
                for j in range(size):
                    _draw(buffer[j], n, states[j], dist)
                for i in range(n):
                    row = offset + (start + i) * stride + first
                    for j in range(size):
                        out[row + j] = buffer[j, i]
