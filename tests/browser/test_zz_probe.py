def test_shots(page_as, world, new_context, sign_in):
    page = page_as(world.people["staff"])
    page.goto("/")
    page.screenshot(path="/tmp/x/home-staff.png", full_page=True)
    page.goto(world.records["restricted"].get_absolute_url())
    page.screenshot(path="/tmp/x/rec-staff.png", full_page=True)
    for w in (320, 375):
        ctx = new_context(
            viewport={"width": w, "height": 640},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=1,
        )
        sign_in(ctx, world.people["staff"])
        p = ctx.new_page()
        for name, u in [
            ("home", "/"),
            ("rec", world.records["restricted"].get_absolute_url()),
            ("withheld", "/withheld"),
            ("audit", "/audit"),
            ("gov", "/governance"),
            ("triage", world.records["draft"].get_absolute_url() + "/triage"),
            ("tokens", "/account/tokens"),
        ]:
            p.goto(u)
            print(w, name, p.evaluate("document.documentElement.scrollWidth"))
            p.screenshot(path=f"/tmp/x/{name}-{w}.png", full_page=True)
