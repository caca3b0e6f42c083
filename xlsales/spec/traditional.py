"""Traditional Chinese characters as Simplified, to match names written in Traditional
Chinese (Taiwan, Hong Kong exports and typing) against the spec's: ``訂單編號`` is the
field ``订单编号``, ``華東`` the region ``华东``, ``贏單`` the stage ``赢单``.

A small committed table, no runtime dependency. It covers the characters of the spec's zh
names that people type or CRMs export (headers, choice labels and aliases, settings lists
and their built-in entries, :data:`~xlsales.spec.declarations.CRM_HEADERS` and the names
of a currency column, what exports put in an empty field:
:data:`xlsales.importer.PLACEHOLDERS`): their
Traditional forms from the Unicode Han database (Unihan ``kTraditionalVariant``, Unicode
15) and the variant forms OpenCC also writes (佔 爲 籤 羣 裏 説 週). Text is only compared in
this form, never rewritten in it. ``tests/test_traditional.py`` converts every such name
to Traditional with OpenCC and checks it maps back: a name with a character missing here
fails there, naming the pair to add.

Taiwan phrase conversion (OpenCC ``s2twp``, Word's and Excel's "Traditional Chinese with
Taiwan phrases") swaps words too: ``代码`` becomes ``程式碼``, ``设置`` ``設定``. A second,
smaller table (:data:`_PHRASES`) takes those words back after the characters, for the
spec's names only what they need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from xlsales.values import fold

#: Traditional → Simplified, as pairs of characters.
_PAIRS = (
    "丟丢 佔占 來来 個个 備备 價价 內内 別别 則则 創创 劃划 動动 務务 匯汇 區区 員员 "
    "問问 單单 嚴严 圍围 團团 報报 場场 實实 寫写 專专 對对 導导 層层 屬属 崗岗 幣币 幺么 "
    "彙汇 徑径 復复 態态 戰战 戶户 換换 摺折 據据 敗败 數数 時时 暫暂 曏向 東东 業业 "
    "標标 機机 權权 檔档 欄栏 "
    "沖冲 況况 準准 潛潜 為为 無无 爭争 爲为 狀状 環环 產产 發发 監监 確确 碼码 礎础 禮礼 "
    "種种 稱称 競竞 範范 簡简 簽签 籤签 約约 納纳 級级 結结 經经 線线 編编 緩缓 總总 續续 "
    "羣群 聯联 職职 與与 舊旧 華华 號号 衕同 衝冲 裏里 裡里 複复 覆复 規规 訂订 計计 訓训 記记 "
    "訊讯 訪访 設设 註注 話话 說说 説说 誰谁 談谈 證证 議议 負负 貨货 責责 資资 購购 贏赢 踐践 "
    "蹤踪 較较 輸输 迴回 週周 進进 達达 選选 郵邮 銷销 錄录 錶表 長长 門门 閉闭 開开 間间 "
    "閤合 關关 隊队 階阶 離离 電电 響响 項项 預预 頭头 題题 額额 類类 驗验 體体 麵面 麼么 "
    "麽么 齣出"
)
_TO_SIMPLIFIED = str.maketrans({pair[0]: pair[1] for pair in _PAIRS.split()})

#: Taiwan words → the spec's, both after the character table. Derived by converting every
#: zh name of the spec (``zh_names()`` in tests/test_traditional.py) with OpenCC
#: ``s2twp`` and keeping the words that still differ once :func:`simplified`: 程式碼
#: (代码, 指标代码), 專案 (项目), 型別 (类型, 客户类型…), 資訊 (基础信息), 設定 (设置),
#: 機率 (概率, 赢单概率…), 建立 (创建日期, 创建时间), 欄位 (字段), 匯出 (导出日期),
#: 資料 (数据来源), 檔案 (文件). The test there checks that no two names of one table, sheet,
#: choice set or list come to the same key and that no spec name is changed by it.
_PHRASES = {
    "程式码": "代码", "专案": "项目", "型别": "类型", "资讯": "信息", "设定": "设置",
    "机率": "概率", "建立": "创建", "栏位": "字段", "汇出": "导出", "资料": "数据",
    "档案": "文件",
}
_PHRASE = re.compile("|".join(sorted(_PHRASES, key=len, reverse=True)))


def simplified(text: str) -> str:
    """``text`` with the Traditional characters of the table written Simplified."""
    return text.translate(_TO_SIMPLIFIED)


def is_traditional(sheet_names: Sequence[str]) -> bool:
    """Whether a workbook whose sheets are ``sheet_names`` is written in Traditional
    characters (one of its sheet names is: 銷售記錄, 設定)."""
    return any(simplified(name) != name for name in sheet_names)


def spec_words(text: str) -> str:
    """``text`` :func:`simplified`, with the Taiwan words of :data:`_PHRASES` as the
    spec's (``程式碼`` → ``代码``, ``設定`` → ``设置``): how a name is compared, never shown."""
    return _PHRASE.sub(lambda m: _PHRASES[m.group()], simplified(text))


def same_name(name: str, names: Sequence[str]) -> int | None:
    """The index in ``names`` (sheet names) of ``name``: written so up to case, as
    Excel compares sheet names, else the one name that is ``name`` written in
    Traditional characters or Taiwan words (``計劃-目標`` for ``计划-目标``, ``設定`` for
    ``设置``: Excel's 简转繁 renames sheets);
    None when there is none or more than one. Nothing else is folded: a sheet of the
    user's named ``Validation `` or in full-width letters is not taken for xlsales' own."""
    exact = next((i for i, n in enumerate(names) if n.casefold() == name.casefold()), None)
    if exact is not None:
        return exact
    key = name.casefold()
    found = [i for i, n in enumerate(names) if spec_words(n).casefold() == key]
    return found[0] if len(found) == 1 else None


def name_key(text: object) -> str:
    """How a name is compared with the spec's names: :func:`~xlsales.values.fold` (case,
    width and edge spaces aside), Traditional characters as Simplified and Taiwan words as
    the spec's (:func:`spec_words`)."""
    return _text_key(text) if type(text) is str else spec_words(fold(text))


@lru_cache(maxsize=4096)
def _text_key(text: str) -> str:
    """:func:`name_key` of a text, kept: a read compares the same headers and labels
    (the spec's, a sheet's) about a thousand times."""
    return spec_words(fold(text))
