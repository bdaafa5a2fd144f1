"""The categories of work. ``withholding_applies`` follows 所得税法 204条: fees to individuals
for writing, translation, design, illustration, photography and the like are withheld."""

from django.db import migrations

CATEGORIES = [
    # slug, Japanese, English, withholding applies
    ("writing", "ライティング・記事作成", "Writing and articles", True),
    ("translation", "翻訳・通訳", "Translation and interpreting", True),
    ("design", "デザイン", "Design", True),
    ("illustration", "イラスト", "Illustration", True),
    ("photography", "写真撮影", "Photography", True),
    ("video-editing", "動画編集", "Video editing", True),
    ("programming", "プログラミング・開発", "Programming and development", False),
    ("data-entry", "データ入力", "Data entry", False),
    ("admin-support", "事務・アシスタント", "Admin and assistance", False),
    ("marketing", "マーケティング・SNS運用", "Marketing and social media", False),
    ("research", "リサーチ・調査", "Research", False),
    ("customer-support", "カスタマーサポート", "Customer support", False),
]


def seed(apps, schema_editor):
    Category = apps.get_model("jobs", "Category")
    for position, (slug, ja, en, withholding) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name_ja": ja,
                "name_en": en,
                "withholding_applies": withholding,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("jobs", "Category").objects.filter(
        slug__in=[c[0] for c in CATEGORIES], jobs__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_search_index")]

    operations = [migrations.RunPython(seed, unseed)]
