#!/usr/bin/env python3
"""Independent reference values for tests/analysis (Python 3 standard library + mpmath only;
scipy and numpy are not installable here). Each block prints the numbers a test pins, computed
from the textbook definitions with exact integers or 40-digit arithmetic, not from our C++."""
from fractions import Fraction
from math import comb, exp, log
from statistics import NormalDist
import mpmath as mp

mp.mp.dps = 40

def welch(x, y, mu=0):
    x = [mp.mpf(str(v)) for v in x]; y = [mp.mpf(str(v)) for v in y]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    vx = sum((v - mx) ** 2 for v in x) / (len(x) - 1)
    vy = sum((v - my) ** 2 for v in y) / (len(y) - 1)
    sx, sy = vx / len(x), vy / len(y)
    se = mp.sqrt(sx + sy)
    t = (mx - my - mu) / se
    df = (sx + sy) ** 2 / (sx ** 2 / (len(x) - 1) + sy ** 2 / (len(y) - 1))
    # two-sided p = I_{df/(df+t^2)}(df/2, 1/2)
    p2 = mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True)
    return t, df, p2

print("# Welch, R's sleep data (group 1 vs group 2)")
g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
t, df, p = welch(g1, g2)
print("t", mp.nstr(t, 17), "df", mp.nstr(df, 17), "p", mp.nstr(p, 17))

print("# BCa levels Phi(z0 + (z0 + z)/(1 - a (z0 + z))) at 95 %")
N = NormalDist()
for z0, a in [(0.0, 0.0), (0.1, 0.05), (-0.2, -0.03)]:
    za = N.inv_cdf(0.025)
    lo = N.cdf(z0 + (z0 + za) / (1 - a * (z0 + za)))
    hi = N.cdf(z0 + (z0 - za) / (1 - a * (z0 - za)))
    print(z0, a, repr(lo), repr(hi))

print("# Hodges-Lehmann")
x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
d = [a - b for a, b in zip(x, y)]
w = sorted((d[i] + d[j]) / 2 for i in range(len(d)) for j in range(i, len(d)))
print("depression pseudo-median", repr(w[len(w) // 2]))
corn = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
w = sorted((corn[i] + corn[j]) / 2 for i in range(15) for j in range(i, 15))
print("corn pseudo-median", (w[59] + w[60]) / 2, len(w))
px = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
py = [1.15, 0.88, 0.90, 0.74, 1.21]
v = sorted(a - b for a in px for b in py)
print("permeability shift", repr((v[24] + v[25]) / 2))

print("# Exact two-sample KS, P(D >= h/(mn)), lattice paths counted with integers")
def ks_exact(m, n, h):
    # paths from (0,0) to (m,n) staying strictly inside |i n - j m| < h
    inside = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m + 1):
        for j in range(n + 1):
            if abs(i * n - j * m) >= h:
                continue
            if i == 0 and j == 0:
                inside[i][j] = 1
            else:
                inside[i][j] = (inside[i - 1][j] if i else 0) + (inside[i][j - 1] if j else 0)
    return 1 - Fraction(inside[m][n], comb(m + n, m))
for m, n, h in [(300, 200, 6000), (300, 200, 12000), (250, 250, 250 * 250 // 5)]:
    print(m, n, h, mp.nstr(mp.mpf(ks_exact(m, n, h).numerator) / ks_exact(m, n, h).denominator, 17))

print("# kstwo.sf(d, n) exactly: Durbin matrix (Marsaglia-Tsang-Wang) in 40 digits")
def kolmogorov_cdf_exact(n, d):
    k = int(mp.ceil(n * d)); h = k - n * d; m = 2 * k - 1
    H = mp.matrix(m, m)
    for i in range(m):
        for j in range(m):
            if i - j + 1 >= 0:
                H[i, j] = mp.mpf(1) / mp.factorial(i - j + 1)
    for i in range(m):
        H[i, 0] -= h ** (i + 1) / mp.factorial(i + 1)
        H[m - 1, i] -= h ** (m - i) / mp.factorial(m - i)
    H[m - 1, 0] += (2 * h - 1) ** m / mp.factorial(m) if 2 * h - 1 > 0 else 0
    P = H ** n
    return P[k - 1, k - 1] * mp.factorial(n) / mp.mpf(n) ** n
for n, d in [(200, mp.mpf("0.02")), (1000, mp.mpf("0.03")), (500, mp.mpf("0.08")), (100, mp.mpf("0.15"))]:
    print(n, d, mp.nstr(1 - kolmogorov_cdf_exact(n, d), 17))

print("# one-sided Smirnov sf, exact Birnbaum-Tingey sum; kstwo.sf = 2 x this for d >= 0.5 (exact)")
print("# and, as scipy's approximation, for n > 140 and n d^2 >= 2.2")
def smirnov(n, d):
    d = mp.mpf(d); s = 0; v = 0
    while v <= mp.floor(n * (1 - d)):
        rest = 1 - d - mp.mpf(v) / n
        if rest <= 0:
            break
        s += mp.binomial(n, v) * d * (d + mp.mpf(v) / n) ** (v - 1) * rest ** (n - v)
        v += 1
    return s
for n, d in [(500, "0.08"), (10, "0.6")]:
    print(n, d, "2 x smirnov", mp.nstr(2 * smirnov(n, d), 17))

print("# lognormal lengths: int(exp(log(m) + 0.8 z)), z = Phi^-1(u)")
for m, u in [(500, 0.5), (500, 0.975), (500, N.cdf(1.0)), (200, 0.1)]:
    z = N.inv_cdf(u)
    print(m, u, repr(exp(log(m) + 0.8 * z)), int(exp(log(m) + 0.8 * z)))
print("P(chat prompt clipped at 50)", N.cdf((log(50) - log(500)) / 0.8),
      "P(clipped at 4000)", 1 - N.cdf((log(4000) - log(500)) / 0.8))

print("# splitmix64 / xoshiro256** (pure Python transcription of the published C)")
M = (1 << 64) - 1
def splitmix(state):
    state = (state + 0x9e3779b97f4a7c15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return state, z ^ (z >> 31)
def rotl(x, k): return ((x << k) | (x >> (64 - k))) & M
def xoshiro(s):
    r = (rotl((s[1] * 5) & M, 7) * 9) & M
    t = (s[1] << 17) & M
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
    return r
st = 42; s = []
for _ in range(4):
    st, z = splitmix(st); s.append(z)
print("xoshiro256ss(42) first 3:", [xoshiro(s) for _ in range(3)])
