# ruff: noqa: E501  (a data table: one item per line reads best)
"""The seed catalogue of service items (服务清单): 9 major categories, 27 minor ones, 86 items.

Pure data, loaded by the migration ``0002_seed_catalogue`` so that every installation starts
with a usable list; admins edit it afterwards (each edit is a new version).
"""

# (code, name) of the major categories; minors are (code, name) under the major's code prefix.
CATEGORIES = [
    ("01", "城市管理", [("0101", "市容环境"), ("0102", "市政设施"), ("0103", "违法建设"),
                        ("0104", "园林绿化")]),
    ("02", "社会治安", [("0201", "治安隐患"), ("0202", "交通秩序")]),
    ("03", "消防安全", [("0301", "消防隐患")]),
    ("04", "安全生产", [("0401", "生产经营安全"), ("0402", "建筑施工安全")]),
    ("05", "生态环境", [("0501", "噪声污染"), ("0502", "垃圾与卫生"), ("0503", "大气与水污染")]),
    ("06", "矛盾纠纷", [("0601", "邻里纠纷"), ("0602", "物业纠纷"), ("0603", "婚姻家庭纠纷"),
                        ("0604", "劳资纠纷"), ("0605", "其他纠纷")]),
    ("07", "民生服务", [("0701", "社会救助"), ("0702", "养老服务"), ("0703", "社会保障"),
                        ("0704", "就业服务")]),
    ("08", "特殊人群", [("0801", "重点人员"), ("0802", "关爱对象")]),
    ("09", "公共设施", [("0901", "公共服务设施"), ("0902", "供水供电供气")]),
]  # fmt: skip

# Time-limit profiles in working hours: {urgency: {stage: hours}}.
PROFILES = {
    "standard": {
        "normal": {"sign": 4, "handle": 35, "verify": 7},
        "important": {"sign": 2, "handle": 21, "verify": 7},
        "urgent": {"sign": 1, "handle": 7, "verify": 4},
    },
    "fast": {
        "normal": {"sign": 2, "handle": 14, "verify": 4},
        "important": {"sign": 1, "handle": 7, "verify": 4},
        "urgent": {"sign": 1, "handle": 2, "verify": 1},
    },
    "long": {
        "normal": {"sign": 8, "handle": 70, "verify": 14},
        "important": {"sign": 4, "handle": 35, "verify": 7},
        "urgent": {"sign": 2, "handle": 14, "verify": 4},
    },
}

C = "community_station"  # handled by the grid's community station

# (code, minor category, name, responsible: C or a department type, closing level,
#  on the spot, joint summons, duplicate radius in metres, time-limit profile, description)
ITEMS = [
    ("E010101", "0101", "占道经营", "urban_management", "street", True, False, 50, "standard", "沿街摊贩占用道路、人行道经营"),
    ("E010102", "0101", "乱堆乱放", C, "community", True, False, 50, "standard", "公共区域堆放杂物、建材"),
    ("E010103", "0101", "违规张贴小广告", C, "community", True, False, 50, "standard", "墙面、电杆等处乱贴乱画"),
    ("E010104", "0101", "店外经营", "urban_management", "street", True, False, 50, "standard", "商户超出门窗外墙经营"),
    ("E010105", "0101", "乱扯乱挂", C, "community", True, False, 50, "standard", "私拉晾晒绳、乱挂横幅"),
    ("E010106", "0101", "暴露垃圾", C, "community", True, False, 50, "fast", "路面、绿地暴露垃圾未清理"),
    ("E010107", "0101", "机动车乱停放", "police", "street", False, False, 50, "standard", "占用消防通道、盲道停车"),
    ("E010108", "0101", "共享单车乱停放", C, "community", True, False, 50, "standard", "共享单车堆积影响通行"),
    ("E010201", "0102", "道路破损", "housing", "street", False, True, 100, "standard", "路面坑槽、塌陷、裂缝"),
    ("E010202", "0102", "井盖缺失", "urban_management", "street", False, False, 30, "fast", "窨井盖缺失、破损、移位"),
    ("E010203", "0102", "路灯损坏", "urban_management", "street", False, False, 100, "standard", "路灯不亮、灯杆倾斜"),
    ("E010204", "0102", "排水管道堵塞", "housing", "street", False, True, 100, "fast", "雨污水管道堵塞、外溢"),
    ("E010205", "0102", "人行道板松动", "urban_management", "street", False, False, 50, "standard", "人行道砖松动、缺损"),
    ("E010206", "0102", "交通护栏损坏", "police", "street", False, False, 100, "standard", "道路护栏、隔离墩损坏"),
    ("E010207", "0102", "道路积水", "urban_management", "street", False, True, 200, "fast", "降雨后路段积水影响通行"),
    ("E010301", "0103", "违章搭建", "urban_management", "street", False, True, 50, "long", "未经审批搭建建筑物、构筑物"),
    ("E010302", "0103", "私自改变房屋结构", "housing", "street", False, True, 30, "long", "拆改承重墙、擅自加层"),
    ("E010303", "0103", "违规占用绿地", "urban_management", "street", False, False, 50, "standard", "毁绿种菜、占绿停车"),
    ("E010401", "0104", "树木倒伏", "urban_management", "street", False, False, 50, "fast", "树木倒伏、断枝危及安全"),
    ("E010402", "0104", "绿地毁坏", "urban_management", "street", False, False, 100, "standard", "绿化带被踩踏、破坏"),
    ("E010403", "0104", "树枝遮挡", C, "community", True, False, 50, "standard", "树枝遮挡路灯、信号灯"),
    ("E020101", "0201", "可疑人员", "police", "street", False, False, 200, "fast", "发现形迹可疑人员"),
    ("E020102", "0201", "聚众赌博", "police", "street", False, False, 100, "fast", "聚众赌博或涉赌线索"),
    ("E020103", "0201", "无证经营娱乐场所", "market_regulation", "street", False, True, 50, "standard", "无证照经营歌舞厅、棋牌室"),
    ("E020104", "0201", "出租房屋未登记", C, "community", False, False, 30, "standard", "出租房屋及承租人未登记"),
    ("E020105", "0201", "校园周边安全隐患", "police", "street", False, True, 200, "fast", "校园周边治安、交通隐患"),
    ("E020201", "0202", "交通信号灯故障", "police", "street", False, False, 50, "fast", "信号灯不亮、配时异常"),
    ("E020202", "0202", "非法营运", "police", "street", False, False, 200, "standard", "黑车、非法载客"),
    ("E030101", "0301", "消防通道堵塞", "fire", "street", True, False, 50, "fast", "消防车通道被占用、堵塞"),
    ("E030102", "0301", "楼道堆放杂物", C, "community", True, False, 30, "standard", "楼道、疏散通道堆放杂物"),
    ("E030103", "0301", "电动车楼道充电", C, "community", True, False, 30, "fast", "电动自行车入户、飞线充电"),
    ("E030104", "0301", "消防设施损坏", "fire", "street", False, False, 50, "standard", "消火栓、灭火器损坏缺失"),
    ("E030105", "0301", "“三合一”场所隐患", "fire", "street", False, True, 50, "fast", "住宿与生产、经营合用场所"),
    ("E030106", "0301", "燃气泄漏隐患", "emergency", "street", False, True, 50, "fast", "燃气异味、管线老化"),
    ("E040101", "0401", "危化品违规存放", "emergency", "district", False, True, 100, "fast", "危险化学品违规储存、销售"),
    ("E040102", "0401", "小作坊安全隐患", "market_regulation", "street", False, True, 50, "standard", "小作坊用电用火隐患"),
    ("E040103", "0401", "特种设备隐患", "market_regulation", "street", False, False, 50, "standard", "锅炉、起重机械等隐患"),
    ("E040201", "0402", "建筑工地安全隐患", "housing", "street", False, True, 100, "standard", "施工现场防护缺失"),
    ("E040202", "0402", "危房险情", "housing", "street", False, True, 50, "fast", "房屋开裂、倾斜等险情"),
    ("E040203", "0402", "深基坑边坡隐患", "housing", "street", False, False, 100, "fast", "基坑、边坡变形、渗水"),
    ("E050101", "0501", "施工噪声扰民", "environment", "street", False, False, 200, "standard", "夜间违规施工噪声"),
    ("E050102", "0501", "商业噪声扰民", "environment", "street", False, False, 100, "standard", "商铺高音喇叭、娱乐噪声"),
    ("E050103", "0501", "社会生活噪声", C, "community", True, False, 50, "standard", "广场舞、装修等生活噪声"),
    ("E050201", "0502", "垃圾清运不及时", "urban_management", "street", True, False, 100, "fast", "垃圾桶满溢未及时清运"),
    ("E050202", "0502", "垃圾分类不规范", C, "community", True, False, 50, "standard", "分类投放点混投混运"),
    ("E050203", "0502", "建筑垃圾乱倒", "urban_management", "street", False, True, 100, "standard", "渣土、装修垃圾偷倒"),
    ("E050204", "0502", "病媒生物孳生", "health", "street", False, False, 100, "standard", "蚊蝇鼠蟑孳生"),
    ("E050301", "0503", "油烟污染", "environment", "street", False, False, 50, "standard", "餐饮油烟直排扰民"),
    ("E050302", "0503", "露天焚烧", "environment", "street", True, False, 200, "fast", "焚烧垃圾、秸秆"),
    ("E050303", "0503", "污水直排", "environment", "street", False, True, 200, "standard", "污水直排河道、雨水管"),
    ("E050304", "0503", "扬尘污染", "environment", "street", False, False, 200, "standard", "工地、道路扬尘"),
    ("E060101", "0601", "邻里纠纷", C, "community", True, False, 30, "long", "邻里之间生活矛盾"),
    ("E060102", "0601", "相邻权纠纷", "justice", "street", False, False, 30, "long", "采光、通行、排水等相邻关系"),
    ("E060201", "0602", "物业服务纠纷", C, "community", False, True, 100, "long", "业主与物业服务企业矛盾"),
    ("E060202", "0602", "物业费纠纷", "housing", "street", False, False, 100, "long", "物业费收缴争议"),
    ("E060301", "0603", "婚姻家庭纠纷", "justice", "street", False, False, 30, "long", "夫妻、家庭成员矛盾"),
    ("E060302", "0603", "赡养抚养纠纷", "justice", "street", False, False, 30, "long", "赡养、抚养义务争议"),
    ("E060401", "0604", "拖欠农民工工资", "human_resources", "street", False, True, 200, "fast", "工程项目欠薪"),
    ("E060402", "0604", "劳动合同纠纷", "human_resources", "street", False, False, 100, "long", "劳动合同、社保争议"),
    ("E060501", "0605", "消费纠纷", "market_regulation", "street", False, False, 50, "standard", "商品质量、服务消费争议"),
    ("E060502", "0605", "医疗纠纷", "health", "street", False, True, 50, "long", "医患矛盾"),
    ("E060503", "0605", "交通事故纠纷", "police", "street", False, False, 100, "long", "交通事故赔偿争议"),
    ("E070101", "0701", "低保申请", "civil_affairs", "street", False, False, 10, "long", "最低生活保障申请受理"),
    ("E070102", "0701", "临时救助申请", "civil_affairs", "street", False, False, 10, "fast", "遭遇急难的临时救助"),
    ("E070103", "0701", "特困人员供养", "civil_affairs", "street", False, False, 10, "long", "特困人员认定与供养"),
    ("E070201", "0702", "高龄津贴申请", "civil_affairs", "street", False, False, 10, "long", "80周岁以上老人津贴"),
    ("E070202", "0702", "居家养老服务需求", C, "community", False, False, 10, "standard", "助餐、助洁、助医需求"),
    ("E070301", "0703", "医保缴纳", "human_resources", "community", True, False, 10, "standard", "城乡居民医保参保缴费"),
    ("E070302", "0703", "养老保险办理", "human_resources", "street", False, False, 10, "long", "城乡居民养老保险"),
    ("E070303", "0703", "残疾人证办理", C, "community", False, False, 10, "long", "残疾评定与办证"),
    ("E070401", "0704", "就业培训", "human_resources", "community", True, False, 10, "standard", "职业技能培训报名"),
    ("E070402", "0704", "失业登记", "human_resources", "street", False, False, 10, "standard", "失业登记与援助"),
    ("E080101", "0801", "社区矫正对象异常", "justice", "street", False, False, 100, "fast", "脱管、漏管或异常动态"),
    ("E080102", "0801", "严重精神障碍患者异常", "health", "street", False, True, 100, "fast", "病情波动、肇事肇祸风险"),
    ("E080103", "0801", "吸毒人员异常", "police", "street", False, False, 100, "fast", "社区戒毒人员异常动态"),
    ("E080104", "0801", "刑释人员帮教", "justice", "street", False, False, 100, "standard", "安置帮教需求"),
    ("E080201", "0802", "空巢老人关爱", C, "community", True, False, 10, "standard", "独居、空巢老人探访需求"),
    ("E080202", "0802", "留守儿童关爱", C, "community", True, False, 10, "standard", "留守儿童监护、帮扶"),
    ("E080203", "0802", "残疾人帮扶", C, "community", False, False, 10, "standard", "残疾人生活困难帮扶"),
    ("E090101", "0901", "健身器材损坏", C, "community", False, False, 50, "standard", "小区、广场健身器材损坏"),
    ("E090102", "0901", "公共厕所故障", "urban_management", "street", False, False, 100, "fast", "公厕设施损坏、卫生差"),
    ("E090103", "0901", "公交站亭损坏", "urban_management", "street", False, False, 50, "standard", "站亭、站牌损坏"),
    ("E090104", "0901", "电梯故障", "market_regulation", "street", False, False, 30, "fast", "电梯困人、运行异常"),
    ("E090201", "0902", "停水", "housing", "street", False, False, 300, "fast", "区域性停水、水压不足"),
    ("E090202", "0902", "供电故障", "housing", "street", False, False, 300, "fast", "线路故障、区域停电"),
    ("E090203", "0902", "燃气管道故障", "emergency", "street", False, True, 100, "fast", "燃气管道损坏、泄漏"),
]  # fmt: skip


def load_catalogue(category_model, item_model, version_model) -> int:
    """Create the seed catalogue if no service item exists yet; returns how many items it made.

    Takes the models as arguments so that the migration can pass its historical models (and
    the demo and tests the real ones: a test database flushed by a transactional test has lost
    what the migration loaded).
    """
    if item_model.objects.exists():
        return 0
    minors = {}
    for code, name, children in CATEGORIES:
        major, _created = category_model.objects.get_or_create(code=code, defaults={"name": name})
        for child_code, child_name in children:
            minors[child_code], _created = category_model.objects.get_or_create(
                code=child_code, defaults={"name": child_name, "parent": major}
            )
    for code, minor, name, responsible, closing, spot, joint, radius, profile, text in ITEMS:
        item = item_model.objects.create(code=code)
        is_station = responsible == C
        version = version_model.objects.create(
            item=item,
            number=1,
            category=minors[minor],
            name=name,
            description=text,
            responsible_kind="community_station" if is_station else "department",
            department_type="" if is_station else responsible,
            time_limits=PROFILES[profile],
            urgent_calendar_hours=profile == "fast",
            closing_level=closing,
            on_the_spot_allowed=spot,
            joint_allowed=joint,
            duplicate_radius_m=radius,
        )
        item.current = version
        item.save(update_fields=["current"])
    return len(ITEMS)


def ensure_catalogue() -> int:
    """``load_catalogue`` with the real models."""
    from events.models import ServiceCategory, ServiceItem, ServiceItemVersion

    return load_catalogue(ServiceCategory, ServiceItem, ServiceItemVersion)
