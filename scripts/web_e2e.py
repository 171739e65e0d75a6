#!/usr/bin/env python3
"""End-to-end tests of the web app in real Chromium, against the real `marquee` binary.

Usage: web_e2e.py BINARY [--screenshots DIR]
Starts `BINARY serve` on a fresh SQLite file, drives Debian's chromium through
chromium-driver with Selenium, and walks what a buyer and an admin do: sign up, browse, pick
seats with the mouse and the keyboard, book, hold and confirm, see a hold run out, see a
seat go live while choosing, lose one at the last moment (409), cancel from My bookings, be signed out by a refused token, create a
show. It finds things the way people do, by label, role and text. Any console error fails
the run (network errors are allowed only for the 4xx answers a step provokes on purpose).
A screenshot of each screen goes to artifacts/screenshots/ (git-ignored).
"""
import argparse
import os
import re
import tempfile
import uuid

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from blackbox.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Server

HOLD_SECONDS = 8
PASSWORD = "password-1"


class Browser:
    """One Chromium window, with helpers that find elements as a person would."""

    def __init__(self, base, shots, name, phone=False):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=en-US",
                         "--window-size=1280,900"]:
            options.add_argument(argument)
        if phone:  # a window cannot be narrower than 500 px; emulate the phone's screen instead
            options.add_experimental_option("mobileEmulation", {
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2, "touch": True}})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.base, self.shots, self.name = base, shots, name
        self.allowed_network_errors = set()

    def open(self, path):
        self.driver.get(self.base + path)

    def wait(self, condition, message, timeout=10):
        try:
            return WebDriverWait(self.driver, timeout).until(lambda _: condition())
        except TimeoutException:
            raise AssertionError(f"{self.name}: timed out waiting for {message}") from None

    def find(self, xpath):
        found = self.driver.find_elements(By.XPATH, xpath)
        return found[0] if found and found[0].is_displayed() else None

    def button(self, name, timeout=10):
        return self.wait(lambda: self.find(f"//button[normalize-space()={quote(name)}]"), f'button "{name}"', timeout)

    def link(self, name):
        return self.wait(lambda: self.find(f"//a[normalize-space()={quote(name)}]"), f'link "{name}"')

    def seat(self, number):
        return self.wait(lambda: self.find(f"//button[@aria-label='Seat {number}']"), f"Seat {number}")

    def field(self, label):
        tag = self.wait(lambda: self.find(f"//label[normalize-space()={quote(label)}]"), f'field "{label}"')
        return self.driver.find_element(By.ID, tag.get_attribute("for"))

    def fill(self, label, text):
        field = self.field(label)
        field.clear()
        field.send_keys(text)

    def set_value(self, label, value):
        """Date and time inputs take keystrokes in the locale's order; set the value as React expects."""
        self.driver.execute_script(
            "const input = arguments[0];"
            "const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;"
            "setter.call(input, arguments[1]);"
            "input.dispatchEvent(new Event('input', { bubbles: true }));",
            self.field(label), value)

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def sees(self, pattern, timeout=10):
        self.wait(lambda: re.search(pattern, self.text()), f"text /{pattern}/", timeout)

    def pressed(self, number):
        return self.seat(number).get_attribute("aria-pressed") == "true"

    def taken(self, number):
        return not self.seat(number).is_enabled()

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.shots, f"{name}.png"))

    def expect_clean_console(self):
        """Fails on any console error but the network errors a step provoked on purpose."""
        errors = []
        for entry in self.driver.get_log("browser"):
            if entry["level"] != "SEVERE":
                continue
            status = re.search(r"status of (\d{3})", entry["message"])
            if entry.get("source") == "network" and status and int(status.group(1)) in self.allowed_network_errors:
                continue
            errors.append(entry["message"])
        if errors:
            raise AssertionError(f"{self.name}: console errors: {errors}")

    def session_storage_set(self, key, value):
        self.driver.execute_script("window.sessionStorage.setItem(arguments[0], arguments[1]);", key, value)

    def quit(self):
        self.driver.quit()


def quote(text):
    return f'"{text}"' if '"' not in text else f"'{text}'"


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def sign_up_in_browser(browser, name, email):
    browser.open("/signup")
    browser.fill("Name", name)
    browser.fill("Email", email)
    browser.fill("Password", PASSWORD)
    browser.button("Sign up").click()
    browser.wait(lambda: browser.find("//button[normalize-space()='Log out']"), "signed in")


def run(server, shots):
    steps = []

    def step(name):
        print(f"...  {name}", flush=True)
        steps.append(name)

    admin = server.call("POST", "/api/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})[2]["token"]
    show = server.call("POST", "/api/shows", {"name": "Hamlet", "startTime": "2031-03-01T19:30:00Z", "totalSeats": 40},
                       token=admin)[2]
    show_path = f"/shows/{show['id']}"

    ana = Browser(server.base, shots, "ana")
    ben = None
    try:
        step("sign-up errors from the API appear next to their fields")
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

        step("a visitor signs up and sees the shows, with date and seats left")
        ana_email = f"ana-{uuid.uuid4().hex[:8]}@example.com"
        sign_up_in_browser(ana, "Ana", ana_email)
        ana.open("/")
        ana.sees("Hamlet")
        ana.sees("40 seats left")
        ana.sees(r"March 1, 2031")
        ana.shot("03-shows")

        step("the show page has a seat map that the keyboard alone can use")
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

        step("Book takes the seats, and they stay taken after a reload")
        ana.button("Book").click()
        ana.sees("Booked! Seats 1 and 2 are yours")
        ana.driver.refresh()
        ana.wait(lambda: ana.taken(1) and ana.taken(2), "seats 1 and 2 taken after reload")
        expect("seat-mine" in ana.seat(1).get_attribute("class"), "own seats look different")
        expect(not ana.taken(3), "seat 3 is still free")
        ana.shot("05-booked")

        step("Hold shows a countdown, and Confirm makes the booking")
        ana.seat(5).click()
        ana.button("Hold").click()
        ana.sees("Seat 5 is held for you")
        timer = ana.wait(lambda: ana.find("//*[@role='timer']"), "a countdown")
        expect(re.fullmatch(r"0:0[0-9]", timer.text), f"countdown shows the time left: {timer.text!r}")
        ana.shot("06-hold")
        ana.button("Confirm").click()
        ana.sees("Confirmed! Seat 5 is yours")
        ana.wait(lambda: ana.taken(5), "seat 5 taken")

        step("a hold that runs out says so and frees the seat on the map")
        ana.seat(6).click()
        ana.button("Hold").click()
        ana.sees("Seat 6 is held for you")
        ana.wait(lambda: ana.taken(6), "seat 6 held")
        ana.sees("hold on seat 6 has expired", timeout=HOLD_SECONDS + 10)
        ana.wait(lambda: not ana.taken(6), "seat 6 free again after the hold ran out")
        ana.shot("07-hold-expired")
        ana.expect_clean_console()

        step("a second buyer sees a seat go while choosing, live, and keeps the rest")
        ben = Browser(server.base, shots, "ben")
        sign_up_in_browser(ben, "Ben", f"ben-{uuid.uuid4().hex[:8]}@example.com")
        ben.open(show_path)
        ben.seat(7).click()
        ben.seat(8).click()
        expect(ben.pressed(7) and ben.pressed(8), "Ben picked seats 7 and 8")
        cai = server.call("POST", "/api/auth/signup",
                          {"name": "Cai", "email": f"cai-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD})[2]
        status, _, _ = server.call("POST", "/api/bookings", {"showId": show["id"], "seats": [8]}, token=cai["token"])
        expect(status == 201, f"Cai booked seat 8: {status}")
        ben.sees("Seat 8 was just taken by someone else", timeout=3)
        ben.wait(lambda: ben.taken(8), "seat 8 shown as taken")
        expect("seat-conflict" in ben.seat(8).get_attribute("class"), "seat 8 is marked as just taken")
        expect(ben.pressed(7), "seat 7 is still selected")
        ben.shot("08-taken-while-choosing")

        step("a buyer who loses a seat at the last moment gets a clear 409 and keeps the rest")
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

        step("the map follows other buyers without a reload")
        ana.open(show_path)
        ana.wait(lambda: ana.taken(7), "Ana's map loaded")
        status, _, _ = server.call("POST", "/api/bookings", {"showId": show["id"], "seats": [20]}, token=cai["token"])
        expect(status == 201, f"Cai booked seat 20: {status}")
        ana.wait(lambda: ana.taken(20), "seat 20 taken on Ana's open map, from the live stream", timeout=2)

        step("My bookings lists the bookings, and Cancel booking asks first")
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

        step("a refused token signs the visitor out where they are")
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

        step("an admin creates a show, with validation messages")
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

        step("a customer sees no admin screens")
        ben.open("/")
        ben.sees("Swan Lake")
        expect(ben.find("//a[normalize-space()='New show']") is None, "no New show link for a customer")
        ben.open("/admin/shows/new")
        ben.sees("Only admins can create shows")

        step("unknown pages and shows have their own screens, and a reload keeps the route")
        ben.open("/shows/no-such-show")
        ben.allowed_network_errors.add(404)
        ben.sees("This show does not exist")
        ben.open("/no/such/page")
        ben.sees("This page does not exist")
        ben.expect_clean_console()

        step("on a phone the show page reads and still books")
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
    except Exception:
        for browser in [ana, ben]:
            if browser:
                browser.shot(f"FAILED-{browser.name}")
        print(f"FAIL {steps[-1] if steps else 'setup'}", flush=True)
        raise
    finally:
        ana.quit()
        if ben:
            ben.quit()
    print(f"web e2e: {len(steps)} steps passed; screenshots in {shots}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--screenshots", default=os.path.join("artifacts", "screenshots"))
    args = parser.parse_args()
    shots = os.path.abspath(args.screenshots)
    os.makedirs(shots, exist_ok=True)
    for old in os.listdir(shots):
        if old.endswith(".png"):
            os.remove(os.path.join(shots, old))
    workdir = tempfile.mkdtemp(prefix="marquee-web-e2e-")
    env = dict(os.environ, MARQUEE_ADMIN_EMAIL=ADMIN_EMAIL, MARQUEE_ADMIN_PASSWORD=ADMIN_PASSWORD,
               MARQUEE_HOLD_SECONDS=str(HOLD_SECONDS), MARQUEE_BCRYPT_COST="4", MARQUEE_LOG_LEVEL="warning",
               MARQUEE_DATABASE_PATH=os.path.join(workdir, "web.sqlite"))
    server = Server(os.path.abspath(args.binary), env, workdir)
    try:
        run(server, shots)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
