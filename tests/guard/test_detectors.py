"""One detector at a time: each kind and each way of hiding it, and the business talk around it."""

from __future__ import annotations

import pytest

from tsunagu.guard import scan


def kinds(text: str) -> set[str]:
    return {finding.kind for finding in scan(text).findings}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("taro.yamada@gmail.com", "email"),
        ("taro (at) gmail (dot) com", "email"),
        ("taro[at]example-mail[dot]jp", "email"),
        ("hanako あっとまーく docomo どっと ne どっと jp", "email"),
        ("hanako アットマーク gmail.com", "email"),
        ("ken★yahoo.co.jp ★を@に変えてください", "email"),
        ("k e n @ g m a i l . c o m", "email"),
        ("ｋｅｎ＠ｙａｈｏｏ．ｃｏ．ｊｐ", "email"),
        ("090-1234-5678", "phone"),
        ("03-1234-5678", "phone"),
        ("0120-123-456", "phone"),
        ("+81 90 1234 5678", "phone"),
        ("+44 20 7946 0958", "phone"),
        ("phone (415) 555-2671", "phone"),
        ("〇九〇-一二三四-五六七八", "phone"),
        ("零九零壱弐参四伍六七八", "phone"),
        ("〇三-十二三四-五六七八", "phone"),
        ("ぜろきゅうぜろ いちにさんよん ごろくななはち", "phone"),
        ("ゼロハチゼロ イチイチニニ サンサンヨンヨン", "phone"),
        ("れいきゅうれいのいちにさんよんのごろくしちはち", "phone"),
        ("⓪⑨⓪①②③④⑤⑥⑦⑧", "phone"),
        ("0️⃣9️⃣0️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", "phone"),
        ("0 9 0 1 2 3 4 5 6 7 8", "phone"),
        ("zero nine zero one two three four five six seven eight", "phone"),
        ("LINE ID: sakura_0815", "line"),
        ("ラインのIDは hiro_works です", "line"),
        ("l i n e：hanako88", "line"),
        ("https://line.me/ti/p/AbCdEf123", "line"),
        ("lin.ee/XyZ12ab", "line"),
        ("Skype: live:.cid.7f3a9b2c1d", "skype"),
        ("スカイプ名は tanaka.office", "skype"),
        ("チャットワークID: yamada-creative", "chatwork"),
        ("Discord: ryuji#4821", "discord"),
        ("discord.gg/AbC123x", "discord"),
        ("Telegram: @alex_dev", "telegram"),
        ("t.me/maria_design", "telegram"),
        ("WeChat ID: wxid_a1b2c3d4e5", "wechat"),
        ("https://wa.me/819012345678", "whatsapp"),
        ("インスタ @hanako.photo", "instagram"),
        ("instagram.com/taro_illust", "instagram"),
        ("Xのアカウント @tech_yamada", "x"),
        ("https://twitter.com/hirokiweb", "x"),
        ("facebook.com/yuji.sato.1234", "facebook"),
        ("https://mika-illustration.com", "website"),
        ("www.kaoru-photo.jp", "website"),
        ("kumo-studio[.]net", "website"),
        ("ayaka-web どっと com", "website"),
        ("https://bit.ly/3xYz9Ab", "short_link"),
        ("https://zoom.us/j/98765432101", "meeting_link"),
        ("meet.google.com/abc-defg-hij", "meeting_link"),
        ("https://calendly.com/sato/30min", "meeting_link"),
        ("ミーティングID: 812 3456 7890", "meeting_link"),
    ],
)
def test_contact_detail_is_found(text: str, kind: str) -> None:
    result = scan(text)
    assert result.verdict == "contact"
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("LINEで直接やり取りしませんか？", "solicit_contact"),
        ("連絡先を交換しませんか", "solicit_contact"),
        ("Let's continue on WhatsApp.", "solicit_contact"),
        ("What's your email?", "solicit_contact"),
        ("手数料がかからないように直接お支払いします", "solicit_payment"),
        ("I'll pay you via PayPal.", "solicit_payment"),
        ("We can save the fees this way.", "solicit_payment"),
        ("仮払いの前に作業を始めていただけますか", "solicit_no_escrow"),
        ("Can you start before the escrow is funded?", "solicit_no_escrow"),
    ],
)
def test_solicitation_is_found(text: str, kind: str) -> None:
    result = scan(text)
    assert result.verdict == "solicit"
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "お見積りは¥50,000（税別）です。",
        "予算は5万円、時給は3,000円/時です。",
        "納期は2024年6月15日 10:00 です。",
        "JANコード 4901234567894 の商品",
        "ISBN 978-4-7741-9214-6 の要約",
        "バージョン 2.10.3 にしました",
        "注文番号 0312345678 の件",
        "〒150-0001 東京都渋谷区",
        "LINEスタンプの制作",
        "Gmailの設定マニュアル",
        "Zoomの使い方の動画を作ってほしい",
        "Instagram運用代行",
        "https://tsunagu.example/jobs/12",
        "/contracts/42 から納品しました",
        "@property def name(self): ...",
        "user@example.com はダミーです",
        "index.html と main.py を直しました",
        "The error occurs at line 42.",
        "@tanaka さん、確認お願いします",
        "規約によりLINEでの連絡はできません。",
        "I can't share my email here.",
        "仮払いありがとうございます。作業を開始します。",
    ],
)
def test_business_talk_is_clean(text: str) -> None:
    assert scan(text).verdict == "clean", scan(text).findings


def test_contact_outranks_solicitation() -> None:
    result = scan("LINEで話しましょう、IDは taro_88 です")
    assert result.verdict == "contact"
    assert {f.kind for f in result.findings} >= {"line", "solicit_contact"}


def test_an_id_some_words_after_a_bare_service_name_does_not_crash() -> None:
    # the ID is found by the wider search after the name, which has no "@" group
    result = scan("line 友だち追加 id taro_99")
    assert result.verdict == "contact"
    assert [f.text for f in result.findings] == ["line 友だち追加 id taro_99"]


def test_ten_digit_japanese_numbers_are_judged_as_phonenumbers_does() -> None:
    import random

    import phonenumbers

    from tsunagu.guard.phones import _is_domestic

    def library(digits: str) -> bool:
        try:
            number = phonenumbers.parse(digits, "JP")
        except phonenumbers.NumberParseException:
            return False
        return phonenumbers.is_possible_number(number)

    generator = random.Random(20261122)
    for _ in range(3000):
        prefix = generator.choice(["01", "02", "03", "04", "05", "06", "07", "08", "09", "010"])
        digits = prefix + "".join(generator.choice("0123456789") for _ in range(10 - len(prefix)))
        if digits.startswith(("020", "050", "060", "070", "080", "090", "0800")):
            continue  # mobile and toll-free prefixes have their own lengths
        if digits.endswith("0000000"):
            continue
        assert _is_domestic(digits) == library(digits), digits


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "メールはgmailで、アカウント名は ka ne da . yu ki 0 9 です（スペースは詰めてください）",
            "email",
        ),
        ("テレグラム @ yuki_tr_ja です（スペース抜き）", "telegram"),
        ("skype: mi ka _ de sign 88 (remove the spaces)", "skype"),
    ],
)
def test_spaces_the_writer_says_to_close_up(text: str, kind: str) -> None:
    assert kind in {finding.kind for finding in scan(text).findings}


def test_closing_up_spaces_leaves_ordinary_text_alone() -> None:
    assert scan("No spaces in file names please: final v2 cover art").verdict == "clean"
    assert scan("スペースは詰めてください。見出しの後に1行あけます").verdict == "clean"
    assert scan("LINE: no spaces between words please").verdict == "clean"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a service in any script or by its nickname, then an ID that looks like one
        ("ｲﾝｽﾀ ｙｕｉ＿ｃａｆｅ３", "instagram"),
        ("らいん（ｋａｚｕ＿０１）", "line"),
        ("チャワクのID：ｈｉｒｏ＿ｗｅｂ", "chatwork"),
        ("ツイッタ垢 mame_art", "x"),
        ("リンクトインは ayumi-kato-7 です", "social_handle"),
        ("Gメール：ｎａｏ．ｋ．１９９９", "email"),
        # e-mail with its separators restored
        ("ken.w@gmail までどうぞ", "email"),
        ("ken.w ＠ ｙａｈｏｏ", "email"),
        ("ken_w ♠ outlook.com（♠→@）", "email"),
        ("ken.w ^ gmail.com (^ is @)", "email"),
        # a domain with spaced dots beside a pointer to its site or form
        ("kumo-office . jp のお問い合わせフォームから", "website"),
        ("kumo-office ・ co ・ jp のサイトへ", "website"),
        # a search for a named person
        ("Facebookで「森川 翔」と検索して友達申請してください", "facebook"),
        ("インスタで 森川しょう って検索してDMください", "instagram"),
        ("search for Sho Morikawa on LinkedIn and message me", "social_handle"),
        ("本名（森川翔）でフェイスブック検索してくれたら出ます、私です", "facebook"),
        # numbers abroad, with a '+' or a phone word, and North American ones by their form
        ("+44 7700 900 321 is my mobile", "phone"),
        ("ring me on 07911 654321", "phone"),
        ("Handy: 0160 1234567", "phone"),
        ("212-555-0142 までお電話ください", "phone"),
        ("1-800-555-0142", "phone"),
    ],
)
def test_disguised_contacts(text: str, kind: str) -> None:
    assert kind in kinds(text), scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order number is 0312345678",
        "order no. is 0312345678",
        "注文番号は：0312345678",
        "請求書番号 0456789012 をご確認ください",
        "参考: https://www.bbc.co.uk/news/business-123 と https://www.nikkei.com/article/ABC/",
        "出典は reuters.com と nhk.or.jp です",
        "インスタで #北欧インテリア と検索すると参考になります",
        "Facebookで検索して出てきた広告を参考にしたいです",
        "I looked up Marie Curie on Wikipedia",
        "Please keep the contact form minimal: name, email, message. No phone field.",
        "バージョン 3 . 2 . 1 の問い合わせフォーム",
        "report . pdf をフォームから送りました",
        "インスタ 1080x1080 の画像を5枚",
        "LINE v2 対応のボット",
        "The total is $1,555.00 (555-0100 is the room)",
    ],
)
def test_business_talk_near_the_disguises(text: str) -> None:
    # no contact detail (a request to move elsewhere is the solicitation rules' to judge)
    assert scan(text).verdict != "contact", scan(text)
