"""Seed the skill taxonomy, named in Japanese and English."""

from django.db import migrations

SKILLS = [
    # (slug, category, Japanese, English)
    ("translation-ja-en", "writing", "翻訳（日本語→英語）", "Translation (Japanese to English)"),
    ("translation-en-ja", "writing", "翻訳（英語→日本語）", "Translation (English to Japanese)"),
    ("translation", "writing", "翻訳", "Translation"),
    ("article-writing", "writing", "記事作成", "Article writing"),
    ("copywriting", "writing", "コピーライティング", "Copywriting"),
    ("proofreading", "writing", "校正・校閲", "Proofreading"),
    ("seo-writing", "writing", "SEOライティング", "SEO writing"),
    ("technical-writing", "writing", "技術文書作成", "Technical writing"),
    ("web-design", "design", "Webデザイン", "Web design"),
    ("ui-ux-design", "design", "UI/UXデザイン", "UI/UX design"),
    ("logo-design", "design", "ロゴデザイン", "Logo design"),
    ("illustration", "design", "イラスト制作", "Illustration"),
    ("banner-design", "design", "バナー制作", "Banner design"),
    ("figma", "design", "Figma", "Figma"),
    ("python", "development", "Python", "Python"),
    ("django", "development", "Django", "Django"),
    ("javascript", "development", "JavaScript", "JavaScript"),
    ("typescript", "development", "TypeScript", "TypeScript"),
    ("react", "development", "React", "React"),
    ("vue", "development", "Vue.js", "Vue.js"),
    ("php", "development", "PHP", "PHP"),
    ("wordpress", "development", "WordPress", "WordPress"),
    ("ios-android", "development", "スマホアプリ開発", "Mobile app development"),
    ("data-analysis", "development", "データ分析", "Data analysis"),
    ("video-editing", "video", "動画編集", "Video editing"),
    ("motion-graphics", "video", "モーショングラフィックス", "Motion graphics"),
    ("transcription", "video", "文字起こし", "Transcription"),
    ("subtitles", "video", "字幕作成", "Subtitling"),
    ("narration", "video", "ナレーション", "Narration"),
    ("podcast-editing", "video", "音声編集", "Audio editing"),
    ("data-entry", "business", "データ入力", "Data entry"),
    ("virtual-assistant", "business", "オンライン秘書", "Virtual assistant"),
    ("bookkeeping", "business", "経理・記帳", "Bookkeeping"),
    ("customer-support", "business", "カスタマーサポート", "Customer support"),
    ("research", "business", "リサーチ・調査", "Research"),
    ("spreadsheet", "business", "Excel・スプレッドシート", "Spreadsheets (Excel)"),
    ("sns-management", "marketing", "SNS運用", "Social media management"),
    ("web-marketing", "marketing", "Webマーケティング", "Web marketing"),
    ("seo", "marketing", "SEO対策", "SEO"),
    ("ads-management", "marketing", "広告運用", "Ad campaign management"),
    ("email-marketing", "marketing", "メールマーケティング", "E-mail marketing"),
]


def seed(apps, schema_editor):
    Skill = apps.get_model("profiles", "Skill")
    for slug, category, name_ja, name_en in SKILLS:
        Skill.objects.update_or_create(
            slug=slug, defaults={"category": category, "name_ja": name_ja, "name_en": name_en}
        )


def unseed(apps, schema_editor):
    Skill = apps.get_model("profiles", "Skill")
    Skill.objects.filter(slug__in=[s[0] for s in SKILLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
