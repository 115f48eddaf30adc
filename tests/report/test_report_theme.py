"""Themes: colours checked before they reach CSS, logos sniffed and size-limited, unknown keys refused."""

from __future__ import annotations

import base64

import pytest

from toolkit.report.theme import MAX_LOGO_BYTES, ThemeError, load_theme, sniff_image

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def write(tmp_path, text, **files):
    for name, data in files.items():
        (tmp_path / name.replace("_", ".")).write_bytes(data)
    path = tmp_path / "theme.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_theme_without_file():
    theme = load_theme(None)
    assert theme.primary.startswith("#") and theme.logo_data_uri is None


def test_colours_logo_and_footer(tmp_path):
    path = write(
        tmp_path,
        'logo = "logo.png"\npied_de_page = "Document de travail"\n[couleurs]\nprincipale = "#112233"\n',
        logo_png=PNG_1PX,
    )
    theme = load_theme(path)
    assert theme.primary == "#112233"
    assert theme.footer == "Document de travail"
    assert theme.logo_data_uri.startswith("data:image/png;base64,")


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#12345G", "#123456; background:url(http://x)", "1"])
def test_colour_that_is_not_hex_is_refused(tmp_path, colour):
    path = write(
        tmp_path, f'[couleurs]\nprincipale = "{colour}"\n' if colour != "1" else "[couleurs]\nprincipale = 1\n"
    )
    with pytest.raises(ThemeError, match="#RRGGBB"):
        load_theme(path)


def test_unknown_key_and_colour_refused(tmp_path):
    with pytest.raises(ThemeError, match="inconnue"):
        load_theme(write(tmp_path, 'police = "Marianne"\n'))
    with pytest.raises(ThemeError, match="inconnue"):
        load_theme(write(tmp_path, '[couleurs]\nfluo = "#FFFFFF"\n'))


def test_logo_must_be_an_image_under_the_limit(tmp_path):
    with pytest.raises(ThemeError, match="PNG, JPEG ou SVG"):
        load_theme(write(tmp_path, 'logo = "logo.png"\n', logo_png=b"MZ\x90\x00 not an image"))
    with pytest.raises(ThemeError, match="trop lourd"):
        load_theme(write(tmp_path, 'logo = "logo.png"\n', logo_png=PNG_1PX + b"\0" * MAX_LOGO_BYTES))
    with pytest.raises(ThemeError, match="introuvable"):
        load_theme(write(tmp_path, 'logo = "absent.png"\n'))
    with pytest.raises(ThemeError, match="script"):
        load_theme(
            write(
                tmp_path,
                'logo = "logo.svg"\n',
                logo_svg=b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            )
        )


def test_sniffing_by_magic_bytes():
    assert sniff_image(PNG_1PX) == "image/png"
    assert sniff_image(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff_image(b'<?xml version="1.0"?><svg/>') == "image/svg+xml"
    assert sniff_image(b"GIF89a") is None


def test_unreadable_toml(tmp_path):
    with pytest.raises(ThemeError, match="illisible"):
        load_theme(write(tmp_path, "[couleurs\n"))
    with pytest.raises(ThemeError, match="introuvable"):
        load_theme(tmp_path / "absent.toml")
