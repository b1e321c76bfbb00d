from tests.conftest import post


def test_a_post_becomes_a_page_with_its_date_in_french(make_site):
    site = make_site({"content/posts/2018-03-21-printemps.md": post("Le printemps",
                                                                     "2018-03-21")})
    site.build()
    html = site.read("2018/03/printemps/index.html")
    assert "Le printemps" in html
    assert "21 mars 2018" in html
