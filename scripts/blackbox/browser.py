"""A real Chromium window through chromium-driver, with helpers that find things as a person
does: by label, role and text."""
import os
import re

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

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

    def named(self, name):
        """The button whose accessible name is `name` (a seat of a venue: "Stalls, Row A, Seat 1, available")."""
        return self.wait(lambda: self.find(f"//button[@aria-label={quote(name)}]"), f'button named "{name}"')

    def focused(self):
        """The accessible name of the element that has the focus."""
        return self.driver.switch_to.active_element.get_attribute("aria-label") or ""

    def select(self, label, option):
        """Picks `option` (its visible text) in the select labelled `label`."""
        from selenium.webdriver.support.ui import Select
        tag = self.wait(lambda: self.find(f"//label[span[normalize-space()={quote(label)}]]//select"), f'select "{label}"')
        Select(tag).select_by_visible_text(option)

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

    def session_token(self):
        """The bearer token the app holds, or None when signed out."""
        return self.driver.execute_script(
            "const s = window.sessionStorage.getItem('marquee.session'); return s ? JSON.parse(s).token : null;")

    def quit(self):
        self.driver.quit()


def quote(text):
    return f'"{text}"' if '"' not in text else f"'{text}'"


def sign_up_in_browser(browser, name, email):
    browser.open("/signup")
    browser.fill("Name", name)
    browser.fill("Email", email)
    browser.fill("Password", PASSWORD)
    browser.button("Sign up").click()
    browser.wait(lambda: browser.find("//button[normalize-space()='Log out']"), "signed in")
