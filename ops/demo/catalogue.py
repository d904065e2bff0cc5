"""Named places of the demo: the landmarks of shared/domain.md and the roads of each street.

Coordinates are approximate (WGS-84 lat, lon), good enough for a demo map. A landmark's
``size`` is its footprint in metres (width, depth) and ``angle`` its rotation in degrees; a
mural's ``length`` makes it a wall line instead of a point.
"""

from gardens.models import GreenPlot, NeighbourhoodGarden, PaintedElectricalBox
from heritage.models import ArchitecturalStyle as Style
from heritage.models import HeritageBuilding, Motif, Mural, Surface, WallType
from heritage.models import ProtectionLevel as Level


def heritage(name_zh, name_en, lat, lon, size, level, style, era, address, history="", angle=0, **extra):
    return dict(model=HeritageBuilding, name_zh=name_zh, name_en=name_en, lat=lat, lon=lon, size=size,
                angle=angle, address=address,
                fields=dict(protection_level=level, style=style, era=era, renovation_history=history), **extra)


def mural(name_zh, name_en, lat, lon, motifs, artist, address, length=None, angle=0, wall=WallType.MURAL,
          surface=Surface.PLASTER):
    return dict(model=Mural, name_zh=name_zh, name_en=name_en, lat=lat, lon=lon, length=length, angle=angle,
                address=address, fields=dict(wall_type=wall, motif_tags=list(motifs), artist=artist,
                                             surface=surface))


def garden(name_zh, name_en, lat, lon, size, address, angle=0, **fields):
    return dict(model=NeighbourhoodGarden, name_zh=name_zh, name_en=name_en, lat=lat, lon=lon, size=size,
                angle=angle, address=address, fields=fields)


SHAMIAN_HISTORY = "沙面建筑群1996年公布为全国重点文物保护单位；2019年外立面整体修缮。"
ARCADE_HISTORY = "2018年上下九骑楼街立面微改造，修复山花、满洲窗与招牌。"

LANDMARKS = [
    heritage("陈家祠", "Chen Clan Ancestral Hall", 23.1258, 113.2452, (80, 80), Level.NATIONAL,
             Style.ANCESTRAL_HALL, "清末（1890–1894）", "中山七路恩龙里34号",
             "1959年辟为广东民间工艺博物馆；1988年公布为全国重点文物保护单位；2008年起分期修缮灰塑与砖雕。",
             description="又称陈氏书院，岭南建筑艺术的代表，以木雕、砖雕、石雕、灰塑、陶塑著称。"),
    heritage("露德天主教堂", "Our Lady of Lourdes Chapel", 23.1073, 113.2438, (18, 34), Level.NATIONAL,
             Style.WESTERN, "清末（1892）", "沙面大街14号", SHAMIAN_HISTORY, angle=4),
    heritage("原汇丰银行旧址", "Former HSBC Building", 23.1068, 113.2421, (30, 24), Level.NATIONAL,
             Style.WESTERN, "民国初年", "沙面大街54号", SHAMIAN_HISTORY, angle=4),
    heritage("原英国领事馆旧址", "Former British Consulate", 23.1079, 113.2410, (28, 22), Level.NATIONAL,
             Style.WESTERN, "清末", "沙面北街", SHAMIAN_HISTORY, angle=4),
    heritage("原万国宝通银行旧址", "Former International Banking Corporation Building", 23.1066, 113.2452,
             (22, 20), Level.NATIONAL, Style.WESTERN, "民国初年", "沙面大街", SHAMIAN_HISTORY, angle=4),
    heritage("沙面基督堂", "Shamian Christ Church", 23.1071, 113.2399, (16, 28), Level.HISTORIC,
             Style.WESTERN, "清末（1865）", "沙面大街", SHAMIAN_HISTORY, angle=4),
    heritage("原东方汇理银行旧址", "Former Banque de l'Indochine", 23.1063, 113.2465, (20, 18), Level.MUNICIPAL,
             Style.WESTERN, "民国", "沙面大街", SHAMIAN_HISTORY, angle=4),
    heritage("李小龙祖居", "Bruce Lee's Ancestral Home", 23.1183, 113.2392, (12, 20), Level.REGISTERED,
             Style.XIGUAN_MANSION, "清末民初", "永庆坊永庆一巷13号",
             "2016年永庆坊微改造中修缮，恢复趟栊门与满洲窗。", angle=-8),
    heritage("八和会馆", "Bahe Guild Hall", 23.1176, 113.2399, (18, 30), Level.DISTRICT, Style.OTHER,
             "清光绪年间", "恩宁路177号", "粤剧行会会馆；2016年随恩宁路改造修缮。", angle=-8),
    heritage("永庆坊竹筒屋", "Yongqingfang Bamboo-tube Houses", 23.1187, 113.2385, (6, 26), Level.TRADITIONAL,
             Style.BAMBOO_TUBE, "民国", "永庆坊永庆二巷", "2016年永庆坊一期微改造，保留原有肌理。", angle=-8),
    heritage("恩宁路骑楼街", "Enning Road Arcade Buildings", 23.1171, 113.2412, (60, 14), Level.HISTORIC,
             Style.ARCADE, "民国", "恩宁路", "2018年恩宁路骑楼立面修缮。", angle=-6),
    heritage("莲香楼", "Lianxiang Tea House", 23.1172, 113.2490, (16, 22), Level.HISTORIC, Style.ARCADE,
             "清光绪（1889）创办", "第十甫路67号", ARCADE_HISTORY),
    heritage("陶陶居", "Taotaoju Restaurant", 23.1170, 113.2502, (18, 22), Level.HISTORIC, Style.ARCADE,
             "清光绪（1880）创办", "第十甫路20号", ARCADE_HISTORY),
    heritage("下九路骑楼", "Xiajiu Road Arcade Building", 23.1168, 113.2525, (14, 20), Level.TRADITIONAL,
             Style.ARCADE, "民国", "下九路96号", ARCADE_HISTORY),
    heritage("上九路骑楼", "Shangjiu Road Arcade Building", 23.1166, 113.2552, (14, 20), Level.TRADITIONAL,
             Style.ARCADE, "民国", "上九路45号", ARCADE_HISTORY),
    heritage("锦纶会馆", "Jinlun Guild Hall", 23.1203, 113.2521, (20, 40), Level.PROVINCIAL, Style.OTHER,
             "清雍正元年（1723）", "康王南路", "2001年因康王路建设整体平移八十余米后修复。"),
    heritage("华林禅寺", "Hualin Temple", 23.1212, 113.2541, (40, 50), Level.MUNICIPAL, Style.OTHER,
             "清", "华林寺前街", "五百罗汉堂2012年修缮。"),
    heritage("仁威庙", "Renwei Temple", 23.1243, 113.2468, (26, 44), Level.PROVINCIAL, Style.OTHER,
             "清", "龙津西路仁威庙前街", "2005年修缮，恢复头门与陶塑屋脊。"),
    heritage("詹天佑故居", "Zhan Tianyou Former Residence", 23.1193, 113.2450, (10, 22), Level.MUNICIPAL,
             Style.XIGUAN_MANSION, "清末", "十二甫西街芽菜巷42号", "2011年修缮后辟为纪念馆。"),
    heritage("小画舫斋", "Xiaohuafang Studio", 23.1232, 113.2392, (30, 26), Level.MUNICIPAL,
             Style.XIGUAN_MANSION, "清末", "逢源北街84号", "园林式西关大屋，2015年修缮。"),
    heritage("宝源路西关大屋", "Xiguan Mansion, Baoyuan Road", 23.1226, 113.2407, (14, 28), Level.DISTRICT,
             Style.XIGUAN_MANSION, "民国初年", "宝源路", "2020年逢源街微改造中修缮。"),
    heritage("泮塘五约民居", "Pantang Wuyue Houses", 23.1255, 113.2346, (30, 20), Level.TRADITIONAL,
             Style.OTHER, "清末至民国", "泮塘五约", "2019年泮塘五约微改造。"),
    garden("荔枝湾涌滨水花园", "Lizhiwan Creek Waterfront Garden", 23.1210, 113.2350, (140, 20), "荔枝湾路",
           angle=20, theme="荔枝文化·岭南水乡", plants="荔枝、木棉、龙船花、水生美人蕉、簕杜鹃", seats=40,
           facilities=["凉亭", "亲水平台", "宣传栏"]),
    garden("永庆坊邻里花园", "Yongqingfang Neighbourhood Garden", 23.1190, 113.2401, (24, 18), "永庆坊",
           angle=-8, theme="西关风情", plants="三角梅、鸡蛋花、九里香", seats=12, facilities=["休闲座椅", "宣传栏"]),
    garden("逢源街宝源邻里花园", "Baoyuan Neighbourhood Garden, Fengyuan", 23.1240, 113.2404, (30, 22), "宝源路",
           theme="党建引领·共建共享", plants="簕杜鹃、桂花、紫荆、时令花卉", seats=16,
           facilities=["休闲座椅", "党建宣传栏", "健身器材"], is_adoptable=True),
    garden("西村便民停车花园", "Xicun Garden with Convenience Parking", 23.1420, 113.2430, (46, 32), "西村大街",
           angle=12, theme="花园＋便民停车场", plants="小叶榄仁、鸭脚木、灰莉", seats=8, parking_spaces=24,
           facilities=["便民停车场", "充电桩", "休闲座椅"]),
    mural("永庆坊醒狮墙绘", "Lion Dance Mural, Yongqingfang", 23.1181, 113.2394,
          [Motif.LION_DANCE, Motif.STREET_LIFE], "广州美术学院志愿队", "永庆坊永庆一巷", length=16, angle=82),
    mural("恩宁路粤剧浮雕墙", "Cantonese Opera Relief Wall, Enning Road", 23.1174, 113.2405,
          [Motif.CANTONESE_OPERA], "荔湾区青年美术家协会", "恩宁路", length=22, angle=-6,
          wall=WallType.RELIEF, surface=Surface.STONE),
    mural("上下九鸡公榄墙绘", "Olive Seller Mural, Shangxiajiu", 23.1174, 113.2531,
          [Motif.OLIVE_SELLER, Motif.STREET_LIFE], "岭南街彩绘志愿队", "下九路"),
    mural("昌华街龙舟墙绘", "Dragon Boat Mural, Changhua", 23.1165, 113.2441, [Motif.DRAGON_BOAT, Motif.LYCHEE],
          "昌华街社区达人", "昌华大街", length=20, angle=15),
    mural("金花街鸡公榄墙绘", "Olive Seller Mural, Jinhua", 23.1285, 113.2449,
          [Motif.OLIVE_SELLER, Motif.XIGUAN_LEGEND], "金花街彩绘志愿队", "西华路"),
    mural("南源街西关传说浮雕墙", "Xiguan Legends Relief Wall, Nanyuan", 23.1340, 113.2372,
          [Motif.XIGUAN_LEGEND, Motif.LION_DANCE], "荔湾区青年美术家协会", "西湾路", length=25, angle=30,
          wall=WallType.RELIEF, surface=Surface.BRICK),
    dict(model=PaintedElectricalBox, name_zh="逢源街醒狮彩绘电箱", name_en="Lion Dance Painted Box, Fengyuan",
         lat=23.1237, lon=113.2399, address="宝源路", angle=0,
         fields=dict(artwork_theme="醒狮", painter="逢源街彩绘志愿队")),
    dict(model=GreenPlot, name_zh="宝源路认领绿地", name_en="Adoptable Green Plot, Baoyuan Road", lat=23.1244,
         lon=113.2412, size=(20, 12), angle=0, address="宝源路", fields=dict()),
]

#: Roads of each street (Chinese, English), by street Chinese name: used for names and addresses.
ROADS = {
    "沙面街道": [("沙面大街", "Shamian Dajie"), ("沙面北街", "Shamian North St"), ("沙面南街", "Shamian South St")],
    "岭南街道": [("和平中路", "Heping Middle Rd"), ("杉木栏路", "Shanmulan Rd"), ("六二三路", "Liu'ersan Rd")],
    "华林街道": [("下九路", "Xiajiu Rd"), ("康王南路", "Kangwang South Rd"), ("华林寺前街", "Hualinsi Qian St")],
    "多宝街道": [("多宝路", "Duobao Rd"), ("恩宁路", "Enning Rd"), ("宝华路", "Baohua Rd")],
    "昌华街道": [("昌华大街", "Changhua Dajie"), ("荔湾路", "Liwan Rd"), ("十二甫西街", "Shi'erfu West St")],
    "逢源街道": [("逢源路", "Fengyuan Rd"), ("宝源路", "Baoyuan Rd"), ("龙津西路", "Longjin West Rd")],
    "龙津街道": [("龙津中路", "Longjin Middle Rd"), ("康王北路", "Kangwang North Rd"), ("带河路", "Daihe Rd")],
    "金花街道": [("中山七路", "Zhongshan 7th Rd"), ("西华路", "Xihua Rd"), ("恩龙里", "Enlong Lane")],
    "彩虹街道": [("中山八路", "Zhongshan 8th Rd"), ("光复北路", "Guangfu North Rd"), ("西门口路", "Ximenkou Rd")],
    "南源街道": [("南岸路", "Nan'an Rd"), ("西湾路", "Xiwan Rd"), ("环翠北路", "Huancui North Rd")],
    "西村街道": [("西增路", "Xizeng Rd"), ("增埗路", "Zengbu Rd"), ("西村大街", "Xicun Dajie")],
    "站前街道": [("站前路", "Zhanqian Rd"), ("东风西路", "Dongfeng West Rd"), ("环市西路", "Huanshi West Rd")],
    "桥中街道": [("桥中中路", "Qiaozhong Middle Rd"), ("坦尾路", "Tanwei Rd"), ("河沙路", "Hesha Rd")],
    "白鹤洞街道": [("鹤洞路", "Hedong Rd"), ("芳村大道东", "Fangcun Ave East"), ("南漖路", "Nanjiao Rd")],
    "冲口街道": [("芳村大道中", "Fangcun Ave Middle"), ("冲口大街", "Chongkou Dajie"), ("杏花路", "Xinghua Rd")],
    "花地街道": [("花地大道", "Huadi Ave"), ("花蕾路", "Hualei Rd"), ("浣花路", "Huanhua Rd")],
    "石围塘街道": [("石围塘路", "Shiweitang Rd"), ("五眼桥路", "Wuyanqiao Rd"), ("山村路", "Shancun Rd")],
    "茶滘街道": [("茶滘路", "Chajiao Rd"), ("裕安路", "Yu'an Rd"), ("芳村大道西", "Fangcun Ave West")],
    "东漖街道": [("东漖北路", "Dongjiao North Rd"), ("葵蓬路", "Kuipeng Rd"), ("东漖南路", "Dongjiao South Rd")],
    "海龙街道": [("龙溪大道", "Longxi Ave"), ("海北路", "Haibei Rd"), ("增滘路", "Zengjiao Rd")],
    "东沙街道": [("东沙大道", "Dongsha Ave"), ("秀水路", "Xiushui Rd"), ("沙洛路", "Shaluo Rd")],
    "中南街道": [("芳村大道南", "Fangcun Ave South"), ("海中路", "Haizhong Rd"), ("滘口路", "Jiaokou Rd")],
}


def roads_of(street) -> list[tuple[str, str]]:
    """The roads of ``street``; a street the catalogue does not know lends its own name."""
    return ROADS.get(street.name_zh) or [(street.name_zh, street.name_en or street.name_zh)]
