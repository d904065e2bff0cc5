"""Name parts for demo and synthetic data: themes, painters, eras, people and organisations.

Names are plausible; people are invented and credit codes random (with a valid check character),
so no real person's details or organisation's registration are reproduced.
"""

from heritage.models import ArchitecturalStyle as Style
from heritage.models import Motif

#: Garden themes (Chinese, English).
GARDEN_THEMES = [
    ("醒狮主题", "Lion Dance"), ("荔枝文化", "Lychee Culture"), ("粤剧文化", "Cantonese Opera"),
    ("西关风情", "Xiguan Style"), ("党建引领", "Party Building"), ("生态科普", "Nature Education"),
    ("共享菜园", "Shared Vegetable"), ("长者休闲", "Elders' Leisure"), ("儿童友好", "Child-friendly"),
    ("岭南花木", "Lingnan Plants"),
]
PLANTS = ["簕杜鹃", "三角梅", "木棉", "紫荆", "荔枝", "龙船花", "鸡蛋花", "桂花", "九里香", "茉莉花",
          "米仔兰", "朱顶红", "薄荷", "紫苏", "罗汉松", "黄金榕", "鸭脚木", "时令花卉"]
FACILITIES = ["休闲座椅", "宣传栏", "儿童游乐设施", "健身器材", "凉亭", "雨水花园", "堆肥箱", "读书角"]

#: Painted-box themes (Chinese, English).
BOX_THEMES = [
    ("醒狮", "Lion Dance"), ("龙舟", "Dragon Boat"), ("荔枝", "Lychee"), ("粤剧", "Cantonese Opera"),
    ("西关大屋", "Xiguan Mansion"), ("骑楼", "Arcade Street"), ("木棉花", "Kapok Flower"),
    ("趟栊门", "Tanglong Gate"), ("满洲窗", "Manchurian Window"), ("岭南花鸟", "Lingnan Birds and Flowers"),
    ("垃圾分类", "Waste Sorting"), ("消防安全", "Fire Safety"),
]
PAINTERS = ["广州美术学院志愿队", "荔湾区青年美术家协会", "逢源街彩绘志愿队", "社区达人陈师傅", "西关小画家工作坊",
            "岭南街彩绘志愿队", "荔湾区少年宫美术班", "社区达人梁姨"]

MOTIF_NAMES = {
    Motif.LION_DANCE: ("醒狮", "Lion Dance"), Motif.DRAGON_BOAT: ("龙舟", "Dragon Boat"),
    Motif.OLIVE_SELLER: ("鸡公榄", "Olive Seller"), Motif.XIGUAN_LEGEND: ("西关传说", "Xiguan Legend"),
    Motif.CANTONESE_OPERA: ("粤剧", "Cantonese Opera"), Motif.LYCHEE: ("荔枝", "Lychee"),
    Motif.STREET_LIFE: ("老街生活", "Old Street Life"),
}

#: Heritage style → (Chinese noun, English noun) for generated names.
STYLE_NOUNS = {
    Style.XIGUAN_MANSION: ("西关大屋", "Xiguan Mansion"), Style.ARCADE: ("骑楼", "Arcade Building"),
    Style.ANCESTRAL_HALL: ("宗祠", "Ancestral Hall"), Style.WESTERN: ("洋楼", "Western-style House"),
    Style.BAMBOO_TUBE: ("竹筒屋", "Bamboo-tube House"), Style.OTHER: ("旧民居", "Old House"),
}
ERAS = ["清中期", "清末", "清末民初", "民国初年", "民国", "1930年代", "1950年代"]
RENOVATIONS = ["2016年立面微改造。", "2018年屋面防水与木构件修缮。", "2019年结构加固，恢复满洲窗。",
               "2021年老旧小区微改造中修缮。", "2022年消防与电线整治。", ""]

ELEVATOR_CONTRACTORS = ["广州荔安电梯维保有限公司", "广州西关电梯工程有限公司", "广东粤通电梯服务有限公司",
                        "广州花地机电设备有限公司", "广州珠江电梯维修有限公司"]

SURNAMES = "陈李黄梁张何林吴罗周郭冯麦谭邓关余区杨刘"
GIVEN_NAMES = ["志强", "伟明", "丽华", "嘉欣", "国栋", "淑仪", "家豪", "美玲", "建华", "秀英", "少芬", "永康",
               "子健", "惠珍", "锦荣", "宝玲", "振华", "婉婷", "德明", "月娥"]

#: Organisation adopters: (kind value, display name, credit-code prefix: authority+category+region).
ORGANISATIONS = [
    ("enterprise", "广州西关文化传播有限公司", "91440103"),
    ("enterprise", "广州荔湾园林绿化有限公司", "91440103"),
    ("enterprise", "广州宝华置业有限公司", "91440103"),
    ("enterprise", "广州逢源物业管理有限公司", "91440103"),
    ("enterprise", "广州泮溪餐饮管理有限公司", "91440103"),
    ("enterprise", "广州岭南匠心设计有限公司", "91440103"),
    ("party_unit", "荔湾区税务局第一党支部", "11440103"),
    ("party_unit", "荔湾区市场监督管理局机关党支部", "11440103"),
    ("party_unit", "荔湾区人民医院党总支", "12440103"),
    ("party_unit", "荔湾区城市管理和综合执法局党支部", "11440103"),
    ("party_unit", "荔湾区第一中学党支部", "12440103"),
    ("social_org", "荔湾区逢源街家庭综合服务中心", "52440103"),
    ("social_org", "荔湾区西关文化促进会", "51440103"),
    ("social_org", "荔湾区青年志愿者协会", "51440103"),
    ("social_org", "荔湾区长者关爱社会工作服务中心", "52440103"),
]
#: Shops and merchants: (display name, has a credit code).
SHOPS = [("宝华路源记凉茶铺", True), ("上下九伍湛记粥店", True), ("恩宁路荔香饼家", False),
         ("多宝路花语鲜花店", True), ("龙津西路老友记五金店", False)]
VOLUNTEER_TEAMS = ["逢源街党员志愿服务队", "沙面街青年志愿服务队", "金花街巾帼志愿服务队"]

#: Upkeep action → Chinese name, for captions (data stays Chinese whatever the active language).
ACTION_NAMES_ZH = {
    "watering": "浇水", "pruning": "修剪", "weeding": "除草", "fertilising": "施肥", "replanting": "补植",
    "pest_control": "病虫害防治", "cleaning": "清洁", "repainting": "补色翻新", "inspection": "巡查",
    "repair": "维修", "safety_check": "安全检查", "elevator_maintenance": "电梯维保", "annual_inspection": "年检",
}
