"""Liwan district (荔湾区), its 22 streets, their communities and grids.

Street centres are the approximate ones of shared/domain.md, which lists 21 streets; the 22nd,
Qiaozhong (桥中街道, north-west Fangcun, around Tanwei), has an approximate centre of our own.
Boundaries are drawn by PostGIS (see :mod:`ops.demo.boundaries`); codes follow the national
administrative-division pattern: district 440103, street 440103001…, community +3 digits,
grid +2 digits. Areas are created by code and never overwritten, so a second load changes nothing.
"""

import zlib

from ops.demo import boundaries
from registry.geography import Community, District, Grid, Street

DISTRICT_CODE = "440103"
DISTRICT_NAMES = ("荔湾区", "Liwan District")

#: (Chinese, English, approx. centre lat, lon, communities as (Chinese, English) name stems).
STREETS = [
    ("沙面街道", "Shamian Street", 23.107, 113.243,
     [("沙面", "Shamian"), ("沙基", "Shaji"), ("复兴", "Fuxing")]),
    ("岭南街道", "Lingnan Street", 23.116, 113.252,
     [("岭南", "Lingnan"), ("杉木栏", "Shanmulan"), ("六二三", "Liu'ersan"), ("和平", "Heping")]),
    ("华林街道", "Hualin Street", 23.120, 113.252,
     [("华林", "Hualin"), ("康王", "Kangwang"), ("下九", "Xiajiu"), ("长寿", "Changshou")]),
    ("多宝街道", "Duobao Street", 23.118, 113.238,
     [("多宝", "Duobao"), ("宝华", "Baohua"), ("恩宁", "Enning"), ("永庆", "Yongqing"), ("至宝", "Zhibao")]),
    ("昌华街道", "Changhua Street", 23.117, 113.244,
     [("昌华", "Changhua"), ("荔湾", "Liwan"), ("泮塘", "Pantang"), ("十二甫", "Shi'erfu")]),
    ("逢源街道", "Fengyuan Street", 23.124, 113.240,
     [("逢源", "Fengyuan"), ("宝源", "Baoyuan"), ("华贵", "Huagui"), ("耀华", "Yaohua"), ("文昌", "Wenchang"),
      ("德星", "Dexing")]),
    ("龙津街道", "Longjin Street", 23.124, 113.250,
     [("龙津", "Longjin"), ("青紫", "Qingzi"), ("蓬莱", "Penglai"), ("带河", "Daihe")]),
    ("金花街道", "Jinhua Street", 23.128, 113.245,
     [("金花", "Jinhua"), ("西华", "Xihua"), ("周门", "Zhoumen"), ("芦荻", "Ludi"), ("恩龙", "Enlong")]),
    ("彩虹街道", "Caihong Street", 23.131, 113.252,
     [("彩虹", "Caihong"), ("西门", "Ximen"), ("光雅", "Guangya"), ("蟠虬", "Panqiu")]),
    ("南源街道", "Nanyuan Street", 23.134, 113.237,
     [("南源", "Nanyuan"), ("西湾", "Xiwan"), ("环翠", "Huancui"), ("富力", "Fuli"), ("半塘", "Bantang")]),
    ("西村街道", "Xicun Street", 23.142, 113.243,
     [("西村", "Xicun"), ("西场", "Xichang"), ("增埗", "Zengbu"), ("协和", "Xiehe")]),
    ("站前街道", "Zhanqian Street", 23.146, 113.255,
     [("站前", "Zhanqian"), ("东风", "Dongfeng"), ("南岸", "Nan'an")]),
    ("桥中街道", "Qiaozhong Street", 23.114, 113.224,
     [("桥中", "Qiaozhong"), ("坦尾", "Tanwei"), ("河沙", "Hesha"), ("西郊", "Xijiao")]),
    ("白鹤洞街道", "Baihedong Street", 23.089, 113.242,
     [("鹤洞", "Hedong"), ("白鹤", "Baihe"), ("南漖", "Nanjiao"), ("鹤园", "Heyuan")]),
    ("冲口街道", "Chongkou Street", 23.096, 113.229,
     [("冲口", "Chongkou"), ("大冲口", "Dachongkou"), ("芳和", "Fanghe"), ("杏花", "Xinghua")]),
    ("花地街道", "Huadi Street", 23.085, 113.224,
     [("花地", "Huadi"), ("东塱", "Donglang"), ("西塱", "Xilang"), ("花蕾", "Hualei"), ("坑口", "Kengkou")]),
    ("石围塘街道", "Shiweitang Street", 23.105, 113.229,
     [("石围塘", "Shiweitang"), ("五眼桥", "Wuyanqiao"), ("山村", "Shancun"), ("凤溪", "Fengxi")]),
    ("茶滘街道", "Chajiao Street", 23.099, 113.219,
     [("茶滘", "Chajiao"), ("裕安", "Yu'an"), ("聚龙", "Julong"), ("沙涌", "Shachong")]),
    ("东漖街道", "Dongjiao Street", 23.086, 113.209,
     [("东漖", "Dongjiao"), ("葵蓬", "Kuipeng"), ("芳村花园", "Fangcun Huayuan"), ("罗涌", "Luochong")]),
    ("海龙街道", "Hailong Street", 23.080, 113.196,
     [("海龙", "Hailong"), ("海北", "Haibei"), ("龙溪", "Longxi"), ("增滘", "Zengjiao")]),
    ("东沙街道", "Dongsha Street", 23.067, 113.218,
     [("东沙", "Dongsha"), ("沙洛", "Shaluo"), ("秀水", "Xiushui"), ("大沙", "Dasha")]),
    ("中南街道", "Zhongnan Street", 23.072, 113.232,
     [("中南", "Zhongnan"), ("海中", "Haizhong"), ("滘口", "Jiaokou"), ("海怡", "Haiyi")]),
]


def street_code(index: int) -> str:
    return f"{DISTRICT_CODE}{index + 1:03d}"


def stable_seed(code: str) -> int:
    """A positive seed derived from an area code (str hashes vary between runs; CRC32 does not)."""
    return zlib.crc32(code.encode()) % 2_000_000_000 + 1


def build_geography() -> District:
    """Create whatever part of the district is missing; existing areas are left as they are."""
    district = District.objects.filter(code=DISTRICT_CODE).first()
    if district is None or district.streets.count() < len(STREETS):
        outline, street_shapes = boundaries.district_and_streets([(lat, lon) for _zh, _en, lat, lon, _c in STREETS])
        district, _ = District.objects.get_or_create(
            code=DISTRICT_CODE, defaults={"name_zh": DISTRICT_NAMES[0], "name_en": DISTRICT_NAMES[1],
                                          "boundary": outline})
        for index, ((name_zh, name_en, *_rest), shape) in enumerate(zip(STREETS, street_shapes)):
            Street.objects.get_or_create(code=street_code(index), defaults={
                "name_zh": name_zh, "name_en": name_en, "boundary": shape, "district": district})
    communities = {street_code(index): names for index, (*_street, names) in enumerate(STREETS)}
    for street in Street.objects.filter(district=district, code__in=communities).order_by("code"):
        _build_communities(street, communities[street.code])
    return district


def _build_communities(street: Street, names) -> None:
    if street.communities.count() < len(names):
        shapes = boundaries.subdivide(street.boundary, len(names), stable_seed(street.code))
        for number, ((stem_zh, stem_en), shape) in enumerate(zip(names, shapes), start=1):
            Community.objects.get_or_create(code=f"{street.code}{number:03d}", defaults={
                "name_zh": f"{stem_zh}社区", "name_en": f"{stem_en} Community", "boundary": shape,
                "street": street})
    for community in street.communities.order_by("code"):
        _build_grids(community)


def _build_grids(community: Community) -> None:
    seed = stable_seed(community.code)
    count = 2 + seed % 3  # 2–4 grids
    if community.grids.count() >= count:
        return
    shapes = boundaries.subdivide(community.boundary, count, seed)
    stem_zh, stem_en = community.name_zh.removesuffix("社区"), community.name_en.removesuffix(" Community")
    for number, shape in enumerate(shapes, start=1):
        Grid.objects.get_or_create(code=f"{community.code}{number:02d}", defaults={
            "name_zh": f"{stem_zh}第{number}网格", "name_en": f"{stem_en} Grid {number}", "boundary": shape,
            "community": community})
