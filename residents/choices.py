"""Choices of the residents registry, in one place a newcomer can read in a minute."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BuildingType(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    MIXED = "mixed", _("Mixed use")
    OTHER = "other", _("Other")


class HouseUse(models.TextChoices):
    OWNER = "owner", _("Owner-occupied")
    RENTED = "rented", _("Rented")
    VACANT = "vacant", _("Vacant")
    COMMERCIAL = "commercial", _("Commercial")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class DocumentType(models.TextChoices):
    """The identity document a resident is registered with."""

    MAINLAND_ID = "id_card", _("Resident ID card")
    HK_MACAO = "hk_macao", _("Hong Kong/Macao resident permit")
    TAIWAN = "taiwan", _("Taiwan resident permit")
    PASSPORT = "passport", _("Passport")
    FOREIGN_PR = "foreign_pr", _("Foreigner's permanent residence ID")


class RegistrationType(models.TextChoices):
    LOCAL = "local", _("Registered (户籍)")
    FLOATING = "floating", _("Floating (流动)")
    OVERSEAS = "overseas", _("Overseas (境外)")


class ResidentStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")


# The special-care end reason a change of status brings with it.
STATUS_END_REASON = {"moved_out": "moved_out", "deceased": "deceased"}


class Relation(models.TextChoices):
    """Relation to the head of the household (与户主关系)."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER_RELATIVE = "relative", _("Other relative")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other")


class Ethnicity(models.TextChoices):
    """The 56 nationalities of China, coded as in GB/T 3304."""

    HAN = "01", pgettext_lazy("ethnicity", "Han")
    MONGOL = "02", pgettext_lazy("ethnicity", "Mongol")
    HUI = "03", pgettext_lazy("ethnicity", "Hui")
    TIBETAN = "04", pgettext_lazy("ethnicity", "Tibetan")
    UYGHUR = "05", pgettext_lazy("ethnicity", "Uyghur")
    MIAO = "06", pgettext_lazy("ethnicity", "Miao")
    YI = "07", pgettext_lazy("ethnicity", "Yi")
    ZHUANG = "08", pgettext_lazy("ethnicity", "Zhuang")
    BUYEI = "09", pgettext_lazy("ethnicity", "Buyei")
    KOREAN = "10", pgettext_lazy("ethnicity", "Korean")
    MANCHU = "11", pgettext_lazy("ethnicity", "Manchu")
    DONG = "12", pgettext_lazy("ethnicity", "Dong")
    YAO = "13", pgettext_lazy("ethnicity", "Yao")
    BAI = "14", pgettext_lazy("ethnicity", "Bai")
    TUJIA = "15", pgettext_lazy("ethnicity", "Tujia")
    HANI = "16", pgettext_lazy("ethnicity", "Hani")
    KAZAKH = "17", pgettext_lazy("ethnicity", "Kazakh")
    DAI = "18", pgettext_lazy("ethnicity", "Dai")
    LI = "19", pgettext_lazy("ethnicity", "Li")
    LISU = "20", pgettext_lazy("ethnicity", "Lisu")
    VA = "21", pgettext_lazy("ethnicity", "Va")
    SHE = "22", pgettext_lazy("ethnicity", "She")
    GAOSHAN = "23", pgettext_lazy("ethnicity", "Gaoshan")
    LAHU = "24", pgettext_lazy("ethnicity", "Lahu")
    SUI = "25", pgettext_lazy("ethnicity", "Sui")
    DONGXIANG = "26", pgettext_lazy("ethnicity", "Dongxiang")
    NAXI = "27", pgettext_lazy("ethnicity", "Naxi")
    JINGPO = "28", pgettext_lazy("ethnicity", "Jingpo")
    KYRGYZ = "29", pgettext_lazy("ethnicity", "Kyrgyz")
    TU = "30", pgettext_lazy("ethnicity", "Tu")
    DAUR = "31", pgettext_lazy("ethnicity", "Daur")
    MULAO = "32", pgettext_lazy("ethnicity", "Mulao")
    QIANG = "33", pgettext_lazy("ethnicity", "Qiang")
    BLANG = "34", pgettext_lazy("ethnicity", "Blang")
    SALAR = "35", pgettext_lazy("ethnicity", "Salar")
    MAONAN = "36", pgettext_lazy("ethnicity", "Maonan")
    GELAO = "37", pgettext_lazy("ethnicity", "Gelao")
    XIBE = "38", pgettext_lazy("ethnicity", "Xibe")
    ACHANG = "39", pgettext_lazy("ethnicity", "Achang")
    PUMI = "40", pgettext_lazy("ethnicity", "Pumi")
    TAJIK = "41", pgettext_lazy("ethnicity", "Tajik")
    NU = "42", pgettext_lazy("ethnicity", "Nu")
    UZBEK = "43", pgettext_lazy("ethnicity", "Uzbek")
    RUSSIAN = "44", pgettext_lazy("ethnicity", "Russian")
    EWENKI = "45", pgettext_lazy("ethnicity", "Ewenki")
    DEANG = "46", pgettext_lazy("ethnicity", "De'ang")
    BONAN = "47", pgettext_lazy("ethnicity", "Bonan")
    YUGUR = "48", pgettext_lazy("ethnicity", "Yugur")
    GIN = "49", pgettext_lazy("ethnicity", "Gin")
    TATAR = "50", pgettext_lazy("ethnicity", "Tatar")
    DERUNG = "51", pgettext_lazy("ethnicity", "Derung")
    OROQEN = "52", pgettext_lazy("ethnicity", "Oroqen")
    HEZHEN = "53", pgettext_lazy("ethnicity", "Hezhen")
    MONBA = "54", pgettext_lazy("ethnicity", "Monba")
    LHOBA = "55", pgettext_lazy("ethnicity", "Lhoba")
    JINO = "56", pgettext_lazy("ethnicity", "Jino")


# The Chinese names as the Excel template uses them, whatever the interface language.
ETHNICITY_ZH = dict(
    zip(
        Ethnicity.values,
        [
            "汉",
            "蒙古",
            "回",
            "藏",
            "维吾尔",
            "苗",
            "彝",
            "壮",
            "布依",
            "朝鲜",
            "满",
            "侗",
            "瑶",
            "白",
            "土家",
            "哈尼",
            "哈萨克",
            "傣",
            "黎",
            "傈僳",
            "佤",
            "畲",
            "高山",
            "拉祜",
            "水",
            "东乡",
            "纳西",
            "景颇",
            "柯尔克孜",
            "土",
            "达斡尔",
            "仫佬",
            "羌",
            "布朗",
            "撒拉",
            "毛南",
            "仡佬",
            "锡伯",
            "阿昌",
            "普米",
            "塔吉克",
            "怒",
            "乌孜别克",
            "俄罗斯",
            "鄂温克",
            "德昂",
            "保安",
            "裕固",
            "京",
            "塔塔尔",
            "独龙",
            "鄂伦春",
            "赫哲",
            "门巴",
            "珞巴",
            "基诺",
        ],
        strict=True,
    )
)
REGISTRATION_ZH = {
    RegistrationType.LOCAL: "户籍",
    RegistrationType.FLOATING: "流动",
    RegistrationType.OVERSEAS: "境外",
}
RELATION_ZH = {
    Relation.HEAD: "户主",
    Relation.SPOUSE: "配偶",
    Relation.CHILD: "子女",
    Relation.PARENT: "父母",
    Relation.GRANDCHILD: "孙子女",
    Relation.GRANDPARENT: "祖父母",
    Relation.SIBLING: "兄弟姐妹",
    Relation.CHILD_IN_LAW: "儿媳女婿",
    Relation.OTHER_RELATIVE: "其他亲属",
    Relation.TENANT: "租户",
    Relation.OTHER: "其他",
}
DOCUMENT_ZH = {
    DocumentType.MAINLAND_ID: "居民身份证",
    DocumentType.HK_MACAO: "港澳居民居住证",
    DocumentType.TAIWAN: "台湾居民居住证",
    DocumentType.PASSPORT: "护照",
    DocumentType.FOREIGN_PR: "外国人永久居留身份证",
}
# Other names of the same documents staff write in the document-type column.
DOCUMENT_ALIASES = {
    "身份证": DocumentType.MAINLAND_ID, "港澳居民来往内地通行证": DocumentType.HK_MACAO,
    "回乡证": DocumentType.HK_MACAO, "港澳通行证": DocumentType.HK_MACAO,
    "台湾居民来往大陆通行证": DocumentType.TAIWAN, "台胞证": DocumentType.TAIWAN,
    "外国护照": DocumentType.PASSPORT, "永久居留证": DocumentType.FOREIGN_PR,
    "外国人永久居留证": DocumentType.FOREIGN_PR,
}  # fmt: skip
SEX_ZH = {"男": "M", "女": "F"}
# Other spellings staff type in the relation column.
RELATION_ALIASES = {
    "本人": Relation.HEAD, "妻": Relation.SPOUSE, "夫": Relation.SPOUSE, "妻子": Relation.SPOUSE,
    "丈夫": Relation.SPOUSE, "子": Relation.CHILD, "女": Relation.CHILD, "儿子": Relation.CHILD,
    "女儿": Relation.CHILD, "父亲": Relation.PARENT, "母亲": Relation.PARENT,
    "孙子": Relation.GRANDCHILD, "孙女": Relation.GRANDCHILD, "儿媳": Relation.CHILD_IN_LAW,
    "女婿": Relation.CHILD_IN_LAW, "兄弟": Relation.SIBLING, "姐妹": Relation.SIBLING,
}  # fmt: skip


class CareLevel(models.IntegerChoices):
    """Care or risk level of a special-care membership; 1 needs the closest attention."""

    HIGH = 1, _("Level 1 (high)")
    MEDIUM = 2, _("Level 2 (medium)")
    LOW = 3, _("Level 3 (low)")


class HelperKind(models.TextChoices):
    """Who a named helper of a "3 helpers for 1" team (三帮一) is."""

    FAMILY = "family", _("Family member")
    DOCTOR = "doctor", _("Doctor")
    CADRE = "cadre", _("Community cadre")
    POLICE = "police", _("Police officer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class EndReason(models.TextChoices):
    """Why a special-care membership ended."""

    TERM_COMPLETED = "term_completed", _("Term completed or released from supervision")
    NO_LONGER_ELIGIBLE = "not_eligible", _("No longer meets the criteria")
    MOVED_OUT = "moved_out", _("Moved out of the area")
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED = "transferred", _("Handed over to another jurisdiction")
    OTHER = "other", _("Other reason")


class VisitMethod(models.TextChoices):
    HOME = "home", _("Home visit")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class DueState(models.TextChoices):
    """Where a membership stands against its visit interval."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due within a week")
    OK = "ok", _("Up to date")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("No problem found")
    ISSUES = "issues", _("Problems found, to be fixed")
    FIXED = "fixed", _("Problems fixed on the spot")


class VenueType(models.TextChoices):
    HOTEL = "hotel", _("Hotel")
    INTERNET_CAFE = "internet_cafe", _("Internet café")
    ENTERTAINMENT = "entertainment", _("Entertainment venue")
    CONSTRUCTION = "construction", _("Construction site")
    OTHER = "other", _("Other")


class AccessAction(models.TextChoices):
    REVEAL = "reveal", _("Revealed a value")
    EXPORT = "export", _("Exported")


class ProtectedField(models.TextChoices):
    """Values that are encrypted at rest and shown only masked unless revealed."""

    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("Phone")
    LANDLORD_PHONE = "landlord_phone", _("Landlord's phone")
    LANDLORD_ID_NUMBER = "landlord_id_number", _("Landlord's ID number")
    CONTACT_PHONE = "contact_phone", _("Contact phone")
