"""The web app's buyer and admin journey, step by step, in real Chromium. Each step carries on
from the one before (the same accounts, show and windows), so a run can stop after any step
(`web_e2e.py --until NAME`) but not skip one."""
import re
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from .browser import PASSWORD, Browser, sign_up_in_browser
from .harness import ADMIN_EMAIL, ADMIN_PASSWORD, expect, wait_until

HOLD_SECONDS = 8
STEPS = []


def step(description):
    """Registers the decorated method as the journey's next step."""
    def register(method):
        STEPS.append((method.__name__, description, method))
        return method
    return register


class Journey:
    """Ana signs up and books; Ben buys beside her; Cai books through the API alone; an admin
    creates a show; a phone books too; Eve, an admin, builds a venue and a show on it; Dee books
    on its plan by keyboard, and Fay by Best available; Gus waits in an on-sale's queue."""

    def __init__(self, server, shots):
        self.server, self.shots = server, shots
        login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        self.admin = server.call("POST", "/api/auth/login", login)[2]["token"]
        self.show = server.call("POST", "/api/shows", {"name": "Hamlet", "startTime": "2031-03-01T19:30:00Z",
                                                       "totalSeats": 40}, token=self.admin)[2]
        self.show_path = f"/shows/{self.show['id']}"
        self.ana = Browser(server.base, shots, "ana")
        self.ben = None
        self.cai = None
        self.dee = None
        self.eve = None
        self.fay = None
        self.gus = None

    def browsers(self):
        return [browser for browser in (self.ana, self.ben, self.dee, self.eve, self.fay, self.gus) if browser]

    def close(self):
        for browser in self.browsers():
            browser.quit()


    @step("sign-up errors from the API appear next to their fields")
    def sign_up_errors(self):
        ana = self.ana
        ana.open("/signup")
        ana.shot("01-sign-up")
        ana.fill("Name", "Ana")
        ana.fill("Email", "not-an-email")
        ana.fill("Password", "short")
        ana.allowed_network_errors.add(422)
        ana.button("Sign up").click()
        ana.sees("Enter a valid email address")
        email_field = ana.field("Email")
        expect(email_field.get_attribute("aria-invalid") == "true", "the email field is marked invalid")
        described = ana.driver.find_element(By.ID, email_field.get_attribute("aria-describedby").split()[-1]).text
        expect("valid email" in described, f"the email error is tied to the field: {described!r}")
        ana.sees("8 to 72 bytes")
        ana.shot("02-sign-up-errors")

    @step("a visitor signs up and sees the shows, with date and seats left")
    def sign_up_and_browse(self):
        ana = self.ana
        ana_email = f"ana-{uuid.uuid4().hex[:8]}@example.com"
        sign_up_in_browser(ana, "Ana", ana_email)
        ana.open("/")
        ana.sees("Hamlet")
        ana.sees("40 seats left")
        ana.sees(r"March 1, 2031")
        ana.shot("03-shows")

    @step("the show page has a seat map that the keyboard alone can use")
    def keyboard_seat_map(self):
        show_path, ana = self.show_path, self.ana
        ana.link("Hamlet").click()
        ana.seat(40)
        expect(ana.driver.current_url.endswith(show_path), f"on the show page: {ana.driver.current_url}")
        for _ in range(40):
            active = ana.driver.switch_to.active_element
            if (active.get_attribute("aria-label") or "").startswith("Seat "):
                break
            active.send_keys(Keys.TAB)
        expect(ana.driver.switch_to.active_element.get_attribute("aria-label") == "Seat 1", "Tab reaches Seat 1")
        ana.driver.switch_to.active_element.send_keys(Keys.SPACE)
        ana.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
        expect(ana.driver.switch_to.active_element.get_attribute("aria-label") == "Seat 2", "ArrowRight moves to Seat 2")
        ana.driver.switch_to.active_element.send_keys(Keys.SPACE)
        ana.driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
        expect(ana.driver.switch_to.active_element.get_attribute("aria-label") == "Seat 12", "ArrowDown moves a row down")
        expect(ana.pressed(1) and ana.pressed(2) and not ana.pressed(12), "Space picked seats 1 and 2")
        ana.sees("2 seats")
        ana.shot("04-seat-map-selection")

    @step("Book takes the seats, and they stay taken after a reload")
    def book(self):
        ana = self.ana
        ana.button("Book").click()
        ana.sees("Booked! Seats 1 and 2 are yours")
        ana.driver.refresh()
        ana.wait(lambda: ana.taken(1) and ana.taken(2), "seats 1 and 2 taken after reload")
        expect("seat-mine" in ana.seat(1).get_attribute("class"), "own seats look different")
        expect(not ana.taken(3), "seat 3 is still free")
        ana.shot("05-booked")

    @step("Hold shows a countdown, and Confirm makes the booking")
    def hold_and_confirm(self):
        ana = self.ana
        ana.seat(5).click()
        ana.button("Hold").click()
        ana.sees("Seat 5 is held for you")
        timer = ana.wait(lambda: ana.find("//*[@role='timer']"), "a countdown")
        expect(re.fullmatch(r"0:0[0-9]", timer.text), f"countdown shows the time left: {timer.text!r}")
        ana.shot("06-hold")
        ana.button("Confirm").click()
        ana.sees("Confirmed! Seat 5 is yours")
        ana.wait(lambda: ana.taken(5), "seat 5 taken")

    @step("a hold that runs out says so and frees the seat on the map")
    def hold_runs_out(self):
        ana = self.ana
        ana.seat(6).click()
        ana.button("Hold").click()
        ana.sees("Seat 6 is held for you")
        ana.wait(lambda: ana.taken(6), "seat 6 held")
        ana.sees("hold on seat 6 has expired", timeout=HOLD_SECONDS + 10)
        ana.wait(lambda: not ana.taken(6), "seat 6 free again after the hold ran out")
        ana.shot("07-hold-expired")
        ana.expect_clean_console()

    @step("a second buyer sees a seat go while choosing, live, and keeps the rest")
    def taken_while_choosing(self):
        server, shots, show, show_path = self.server, self.shots, self.show, self.show_path
        ben = Browser(server.base, shots, "ben")
        self.ben = ben
        sign_up_in_browser(ben, "Ben", f"ben-{uuid.uuid4().hex[:8]}@example.com")
        ben.open(show_path)
        ben.seat(7).click()
        ben.seat(8).click()
        expect(ben.pressed(7) and ben.pressed(8), "Ben picked seats 7 and 8")
        cai = server.call("POST", "/api/auth/signup",
                          {"name": "Cai", "email": f"cai-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD})[2]
        self.cai = cai
        status, _, _ = server.call("POST", "/api/bookings", {"showId": show["id"], "seats": [8]}, token=cai["token"])
        expect(status == 201, f"Cai booked seat 8: {status}")
        ben.sees("Seat 8 was just taken by someone else", timeout=3)
        ben.wait(lambda: ben.taken(8), "seat 8 shown as taken")
        expect("seat-conflict" in ben.seat(8).get_attribute("class"), "seat 8 is marked as just taken")
        expect(ben.pressed(7), "seat 7 is still selected")
        ben.shot("08-taken-while-choosing")

    @step("a buyer who loses a seat at the last moment gets a clear 409 and keeps the rest")
    def lost_at_the_last_moment(self):
        show, ben, cai = self.show, self.ben, self.cai
        ben.seat(9).click()
        # Cai books seat 9 in the instant between Ben's click on Book and the server: Ben's
        # page is made to send Cai's request first, so the race is the same every run.
        ben.driver.execute_script("""
            const [token, showId] = arguments;
            const original = window.fetch;
            window.fetch = async (url, init) => {
              if (url === "/api/bookings" && init && init.method === "POST" && !window.raced) {
                window.raced = true;
                await original("/api/bookings", { method: "POST", body: JSON.stringify({ showId, seats: [9] }),
                  headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` } });
              }
              return original(url, init);
            };""", cai["token"], show["id"])
        ben.allowed_network_errors.add(409)
        ben.button("Book").click()
        ben.sees("Seat 9 was just taken by someone else. Your other seats are still selected")
        ben.wait(lambda: ben.taken(9), "seat 9 shown as taken")
        expect("seat-conflict" in ben.seat(9).get_attribute("class"), "seat 9 is marked as the conflict")
        expect(ben.pressed(7) and not ben.pressed(9), "seat 7 is still selected, seat 9 is not")
        ben.shot("09-conflict")
        ben.button("Book").click()
        ben.sees("Booked! Seat 7 is yours")
        ben.expect_clean_console()

    @step("the map follows other buyers without a reload")
    def map_follows_others(self):
        server, show, show_path, ana, cai = self.server, self.show, self.show_path, self.ana, self.cai
        ana.open(show_path)
        ana.wait(lambda: ana.taken(7), "Ana's map loaded")
        status, _, _ = server.call("POST", "/api/bookings", {"showId": show["id"], "seats": [20]}, token=cai["token"])
        expect(status == 201, f"Cai booked seat 20: {status}")
        ana.wait(lambda: ana.taken(20), "seat 20 taken on Ana's open map, from the live stream", timeout=2)

    @step("My bookings lists the bookings, and Cancel booking asks first")
    def my_bookings_and_cancel(self):
        show_path, ana = self.show_path, self.ana
        ana.link("My bookings").click()
        ana.sees("Confirmed")
        cards = ana.driver.find_elements(By.CSS_SELECTOR, ".booking-card")
        expect(len(cards) == 3, f"three bookings: {len(cards)}")
        expect("Seat 6" in cards[0].text and "Expired" in cards[0].text, f"newest first: {cards[0].text!r}")
        expect("Hamlet" in cards[-1].text and "Seats 1 and 2" in cards[-1].text, f"oldest last: {cards[-1].text!r}")
        ana.shot("10-my-bookings")
        cards[-1].find_element(By.XPATH, ".//button[normalize-space()='Cancel booking']").click()
        ana.sees(r"Cancel seats 1 and 2 for Hamlet\?")
        ana.shot("11-cancel-confirmation")
        ana.button("Keep booking").click()
        expect("Confirmed" in ana.driver.find_elements(By.CSS_SELECTOR, ".booking-card")[-1].text, "kept")
        card = ana.driver.find_elements(By.CSS_SELECTOR, ".booking-card")[-1]
        card.find_element(By.XPATH, ".//button[normalize-space()='Cancel booking']").click()
        ana.wait(lambda: ana.find("//*[@role='alertdialog']//button[normalize-space()='Cancel booking']"), "confirm step").click()
        ana.sees("Booking cancelled. Seats 1 and 2 are free again")
        expect("Cancelled" in ana.driver.find_elements(By.CSS_SELECTOR, ".booking-card")[-1].text, "shown as cancelled")
        ana.shot("12-cancelled")
        ana.open(show_path)
        ana.wait(lambda: not ana.taken(1) and not ana.taken(2), "seats 1 and 2 free on the map")
        ana.expect_clean_console()

    @step("a refused token signs the visitor out where they are")
    def refused_token(self):
        ana = self.ana
        ana.open("/bookings")
        ana.sees("Seats 1 and 2")
        ana.session_storage_set("marquee.session", '{"token":"forged.token.value","user":{"id":"x","name":"Ana",'
                                '"email":"a@b.c","role":"customer","createdAt":"2031-01-01T00:00:00Z"}}')
        ana.allowed_network_errors.add(401)
        ana.driver.refresh()
        ana.sees("Your session has ended")
        expect(ana.driver.current_url.endswith("/bookings"), f"still on My bookings: {ana.driver.current_url}")
        expect(ana.find("//button[normalize-space()='Log out']") is None, "signed out")
        ana.shot("13-session-ended")
        ana.expect_clean_console()

    @step("an admin creates a show, with validation messages")
    def admin_creates_show(self):
        ana = self.ana
        ana.link("Log in again").click()
        ana.fill("Email", ADMIN_EMAIL)
        ana.fill("Password", ADMIN_PASSWORD)
        ana.button("Log in").click()
        ana.wait(lambda: ana.driver.current_url.endswith("/bookings"), "back where the visitor was")
        ana.link("New show").click()
        ana.fill("Name", "Swan Lake")
        ana.set_value("Date", "2031-06-01")
        ana.set_value("Time", "19:00")
        ana.fill("Seats", "0")
        ana.allowed_network_errors.add(422)
        ana.button("Create show").click()
        ana.sees("A show has 1 to 100000 seats")
        ana.shot("14-new-show-errors")
        ana.fill("Seats", "24")
        ana.button("Create show").click()
        ana.sees("Created Swan Lake")
        ana.shot("15-new-show-created")
        ana.link("Shows").click()
        ana.sees("Swan Lake")
        ana.sees("24 seats left")
        ana.expect_clean_console()

    @step("a customer sees no admin screens")
    def customer_sees_no_admin(self):
        ben = self.ben
        ben.open("/")
        ben.sees("Swan Lake")
        expect(ben.find("//a[normalize-space()='New show']") is None, "no New show link for a customer")
        ben.open("/admin/shows/new")
        ben.sees("Only admins can create shows")

    @step("unknown pages and shows have their own screens, and a reload keeps the route")
    def unknown_pages(self):
        ben = self.ben
        ben.open("/shows/no-such-show")
        ben.allowed_network_errors.add(404)
        ben.sees("This show does not exist")
        ben.open("/no/such/page")
        ben.sees("This page does not exist")
        ben.expect_clean_console()

    @step("on a phone the show page reads and still books")
    def phone(self):
        server, shots, show_path = self.server, self.shots, self.show_path
        phone = Browser(server.base, shots, "phone", phone=True)
        try:
            phone.open("/login")
            phone.fill("Email", ADMIN_EMAIL)
            phone.fill("Password", ADMIN_PASSWORD)
            phone.button("Log in").click()
            phone.wait(lambda: phone.find("//button[normalize-space()='Log out']"), "signed in on the phone")
            phone.open(show_path)
            phone.seat(30).click()
            widths = phone.driver.execute_script(
                "const map = document.querySelector('.seat-scroll');"
                "return [window.innerWidth, document.documentElement.scrollWidth, map.scrollWidth, map.clientWidth];")
            expect(widths[0] == 390 and widths[1] <= 390, f"no sideways scrolling of the page: {widths}")
            expect(widths[2] <= widths[3], f"ten seats to a row fit a phone without scrolling the map: {widths}")
            phone.shot("16-phone-show")
            phone.button("Book").click()
            phone.sees("Booked! Seat 30 is yours")
            phone.open("/")
            phone.shot("17-phone-shows")
            phone.expect_clean_console()
        finally:
            phone.quit()

    @step("Log out ends the session on the server; Log out everywhere on the account page ends every other")
    def log_out_for_good(self):
        server, ana, ben = self.server, self.ana, self.ben
        token = ben.session_token()
        expect(server.call("GET", "/api/auth/me", token=token)[0] == 200, "Ben's token is good while signed in")
        ben.button("Log out").click()
        ben.wait(lambda: ben.find("//a[normalize-space()='Log in']"), "signed out")
        wait_until(lambda: server.call("GET", "/api/auth/me", token=token)[0] == 401, timeout=5,
                   message="the server refuses the token Log out ended")

        elsewhere = server.call("POST", "/api/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})[2]["token"]
        ana.wait(lambda: ana.find("//header//a[@href='/account']"), "the name in the header links to the account").click()
        ana.sees("Member since")
        ana.shot("18-account")
        ana.button("Log out everywhere").click()
        ana.sees("You are logged out on every device")
        expect(ana.find("//button[normalize-space()='Log out']") is None, "signed out here")
        expect(server.call("GET", "/api/auth/me", token=elsewhere)[0] == 401, "a session elsewhere has ended too")
        ana.shot("19-logged-out-everywhere")
        ana.expect_clean_console()
        ben.expect_clean_console()

    def venue_show(self, name, layout):
        """A venue of `layout` and a show on it, made through the API; returns the show's id. (The
        admin logs in afresh: the step before ended every admin session.)"""
        login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        self.admin = self.server.call("POST", "/api/auth/login", login)[2]["token"]
        status, _, venue = self.server.call("POST", "/api/venues", {"name": name, "layout": layout}, token=self.admin)
        expect(status == 201, f"venue {status} {venue}")
        status, _, show = self.server.call("POST", "/api/shows", {"name": name, "startTime": "2031-04-01T19:30:00Z",
                                                                  "venueId": venue["id"]}, token=self.admin)
        expect(status == 201, f"show on the venue {status} {show}")
        return show["id"]

    @step("an admin builds a two-section venue with an aisle and accessible seats, and creates a show on it")
    def admin_builds_venue(self):
        eve = self.eve = Browser(self.server.base, self.shots, "eve")
        eve.open("/login")
        eve.fill("Email", ADMIN_EMAIL)
        eve.fill("Password", ADMIN_PASSWORD)
        eve.button("Log in").click()
        eve.link("New venue").click()
        eve.sees("Preview")
        eve.button("Add a category").click()
        eve.button("Add a category").click()
        eve.fill("Category 1", "Stalls seats")
        eve.fill("Category 2", "Balcony seats")
        eve.fill("Rows", "2")
        eve.fill("Seats per row", "4")
        eve.fill("Aisles after seats", "2")
        eve.select("Category", "Stalls seats")
        eve.button("Add a section").click()
        section = "//fieldset[legend[normalize-space()='Section 2']]"
        for label, value in (("Section name", "Balcony"), ("Rows", "1"), ("Seats per row", "4"), ("First row", "C")):
            field = eve.find(f"{section}//label[normalize-space()='{label}']/following-sibling::input")
            field.clear()
            field.send_keys(value)
        Select(eve.find(f"{section}//select")).select_by_visible_text("Balcony seats")
        eve.named("Stalls, Row A, Seat 1, available").click()
        eve.named("Stalls, Row A, Seat 1, accessible, available")
        eve.named("Stalls, Row A, Seat 2, available").click()
        eve.named("Stalls, Row A, Seat 2, accessible, available").click()
        eve.named("Stalls, Row A, Seat 2, companion seat, available")
        xs = [eve.named(name).location["x"] for name in ("Stalls, Row A, Seat 1, accessible, available",
                                                         "Stalls, Row A, Seat 2, companion seat, available",
                                                         "Stalls, Row A, Seat 3, available")]
        expect(xs[2] - xs[1] > 1.5 * (xs[1] - xs[0]), f"a gap for the aisle before seat 3: {xs}")
        eve.sees("Balcony seats")
        eve.shot("20-venue-builder")
        # The server's messages go beside their fields: a venue needs a name.
        eve.allowed_network_errors.add(422)
        eve.button("Create venue (12 seats)").click()
        eve.sees("Name must be 1 to 200 characters")
        expect(eve.field("Venue name").get_attribute("aria-invalid") == "true", "the name field is marked invalid")
        eve.fill("Venue name", "Opera House")
        eve.button("Create venue (12 seats)").click()
        eve.sees("Created the venue Opera House with 12 seats")
        eve.link("Create a show on it").click()
        eve.sees("The show uses the seating plan of Opera House: 12 seats")
        eve.fill("Name", "Carmen")
        eve.set_value("Date", "2031-04-01")
        eve.set_value("Time", "19:30")
        eve.button("Create show").click()
        eve.sees("Created Carmen")
        eve.shot("21-show-on-venue")
        eve.link("Carmen").click()
        # Blocked seats for admins: pick on the map, block; they cannot be picked then.
        eve.named("Stalls, Row A, Seat 4, available").click()
        eve.button("Block selected seats").click()
        eve.sees("1 seat is not for sale")
        eve.named("Stalls, Row A, Seat 4, not for sale")
        self.venue_show_id = re.search(r"/shows/([0-9a-f-]+)", eve.driver.current_url).group(1)
        eve.expect_clean_console()

    @step("a buyer sees the hall: sections, rows, named seats, the keyboard across rows and sections")
    def venue_hall(self):
        dee = self.dee = Browser(self.server.base, self.shots, "dee")
        sign_up_in_browser(dee, "Dee", f"dee-{uuid.uuid4().hex[:8]}@example.com")
        dee.open(f"/shows/{self.venue_show_id}")
        dee.wait(lambda: dee.find("//h3[normalize-space()='Stalls']") and dee.find("//h3[normalize-space()='Balcony']"),
                 "section headings")
        first = dee.named("Stalls, Row A, Seat 1, accessible, available")
        expect(dee.named("Stalls, Row A, Seat 4, not for sale").get_attribute("disabled") is not None,
               "a blocked seat cannot be picked")
        dee.sees("Balcony seats")
        expect(len(dee.driver.find_elements(By.XPATH, "//*[@role='group'][@aria-label='Row A']/span[normalize-space()='A']")) == 2,
               "row A is labelled at both ends")
        expect(first.get_attribute("tabindex") == "0", "the first free seat is the tab stop")
        first.send_keys(Keys.ARROW_RIGHT)
        expect(dee.focused().startswith("Stalls, Row A, Seat 2, companion seat"), f"ArrowRight: {dee.focused()}")
        dee.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
        expect(dee.focused() == "Stalls, Row A, Seat 3, available", f"across the aisle: {dee.focused()}")
        dee.driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
        expect(dee.focused() == "Stalls, Row B, Seat 3, available", f"ArrowDown to the row behind: {dee.focused()}")
        dee.driver.switch_to.active_element.send_keys(Keys.PAGE_DOWN)
        expect(dee.focused() == "Balcony, Row C, Seat 1, available", f"Page Down to the next section: {dee.focused()}")
        dee.driver.switch_to.active_element.send_keys(Keys.SPACE)
        dee.wait(lambda: dee.focused() == "Balcony, Row C, Seat 1, selected", "Space selects the seat")
        dee.sees("1 seat: Balcony, Row C, Seat 1")
        dee.shot("22-venue-hall")
        dee.button("Book").click()
        dee.sees("Booked! Balcony, Row C, Seat 1 is yours")
        dee.named("Balcony, Row C, Seat 1, yours")
        dee.expect_clean_console()

    @step("another buyer's Best available picks seats side by side, books them and says which; My bookings names them")
    def best_available_in_browser(self):
        fay = self.fay = Browser(self.server.base, self.shots, "fay")
        sign_up_in_browser(fay, "Fay", f"fay-{uuid.uuid4().hex[:8]}@example.com")
        fay.open(f"/shows/{self.venue_show_id}")
        fay.named("Balcony, Row C, Seat 1, taken")
        fay.select("How many", "3")
        fay.button("Book best available").click()
        fay.sees(r"Booked! You got Balcony, Row C, Seat 2, Balcony, Row C, Seat 3 and Balcony, Row C, Seat 4\.")
        fay.named("Balcony, Row C, Seat 2, yours")
        fay.shot("23-best-available")
        fay.select("How many", "3")
        fay.allowed_network_errors.add(409)
        fay.button("Book best available").click()
        fay.sees("No 3 seats side by side are free; the most together now is 2")
        fay.link("My bookings").click()
        fay.sees("Balcony, Row C, Seat 2, Balcony, Row C, Seat 3 and Balcony, Row C, Seat 4")
        fay.shot("24-my-bookings-labels")
        fay.expect_clean_console()
        # Dee's map follows: the seats Fay got are taken there too.
        self.dee.named("Balcony, Row C, Seat 4, taken")

    @step("a 20,000-seat hall is drawn a part at a time, the first part in under a second")
    def large_hall(self):
        dee = self.dee
        layout = {"version": 1, "sections": [{"key": "arena", "label": "Arena", "rows": [
            {"label": f"R{r + 1}", "seats": [{"n": r * 200 + i, "label": str(i)} for i in range(1, 201)]}
            for r in range(100)]}]}
        show = self.venue_show("Arena night", layout)
        # Records when the first seat button is in the page, measured by the page itself.
        dee.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
            new MutationObserver((_, observer) => {
              if (document.querySelector('button.seat')) { window.__firstSeat = performance.now(); observer.disconnect(); }
            }).observe(document, { childList: true, subtree: true });"""})
        dee.open(f"/shows/{show}")
        dee.named("Arena, Row R1, Seat 1, available")
        first_draw = dee.driver.execute_script("return window.__firstSeat")
        buttons = len(dee.driver.find_elements(By.CSS_SELECTOR, "button.seat"))
        print(f"       first draw of a 20,000-seat hall: {first_draw:.0f} ms after navigation, {buttons} seats drawn", flush=True)
        expect(first_draw < 1000, f"first draw in {first_draw:.0f} ms")
        expect(buttons <= 1000, f"{buttons} seat buttons drawn at once")
        dee.sees("Part of the hall")
        dee.named("Arena, Row R1, Seat 1, available").send_keys(Keys.PAGE_DOWN)
        dee.wait(lambda: dee.focused() == "Arena, Row R6, Seat 1, available", "Page Down draws the next part")
        dee.shot("25-large-hall")
        dee.expect_clean_console()


    @step("an on-sale with a queue: the countdown, Join, the place in line kept across a refresh, the turn, a booking with the pass")
    def queue_on_sale(self):
        import datetime
        import time
        login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        self.admin = self.server.call("POST", "/api/auth/login", login)[2]["token"]
        # Gus signs up first: the browser's start and sign-up can take longer than the
        # countdown below on a slow machine, and the countdown must still be running when he
        # opens the show.
        gus = self.gus = Browser(self.server.base, self.shots, "gus")
        gus.allowed_network_errors.add(404)  # "not in line yet" is how the page learns it
        sign_up_in_browser(gus, "Gus", f"gus-{uuid.uuid4().hex[:8]}@example.com")
        on_sale = int(time.time()) + 6
        status, _, show = self.server.call("POST", "/api/shows", {
            "name": "Première", "startTime": "2031-05-01T19:30:00Z", "totalSeats": 20,
            "onSaleAt": datetime.datetime.fromtimestamp(on_sale, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "queue": {"admitPerMinute": 20, "passSeconds": 120}}, token=self.admin)
        expect(status == 201, f"queued show {status} {show}")
        # Three buyers queue through the API before the on-sale: they are drawn ranks 1 to 3.
        early = []
        for i in range(3):
            email = f"early{i}-{uuid.uuid4().hex[:8]}@example.com"
            token = self.server.call("POST", "/api/auth/signup", {"name": f"Early {i}", "email": email, "password": PASSWORD})[2]["token"]
            expect(self.server.call("POST", f"/api/shows/{show['id']}/queue", token=token)[0] == 201, "an early join")
            early.append(token)
        gus.open(f"/shows/{show['id']}")
        gus.sees("Queue for the on-sale")
        gus.sees(r"Sales open in \d+:\d\d")
        expect(not gus.driver.find_elements(By.XPATH, "//button[normalize-space()='Book']"), "no Book button before the on-sale")
        gus.shot("26-queue-countdown")
        # Gus joins once sales are open: behind the three drawn before him, in join order.
        gus.sees("Queue to book", timeout=15)
        gus.button("Join the queue").click()
        gus.sees("You are in line")
        gus.sees(r"Your place: 4")
        gus.sees(r"(people are|person is) ahead of you|You are next")
        expect(gus.driver.find_elements(By.CSS_SELECTOR, "progress.queue-progress"), "a progress bar")
        gus.shot("27-queue-in-line")
        gus.driver.refresh()
        gus.sees(r"Your place: 4")
        # The turn comes at 20 a minute (one every 3 s): rank 4 about 9 s after the on-sale.
        gus.sees("It is your turn", timeout=30)
        gus.sees(r"book within \d+:\d\d")
        gus.shot("28-queue-turn")
        gus.seat(5).click()
        gus.button("Book").click()
        gus.sees(r"Booked! Seat 5 is yours\.")
        gus.sees("You have booked")
        gus.expect_clean_console()
        # The pass booked once: through the API it is now refused.
        entry = self.server.call("GET", f"/api/shows/{show['id']}/queue/me", token=gus.session_token())[2]
        expect(entry["state"] == "done", f"Gus's entry is done: {entry}")
