// The story of issue 2, step by step, as one suite: a visitor accepts the cookie notice, finds
// a specialist by specialty, picks a free slot, gets the form back with Russian messages (and
// what they typed) when it is wrong, books, and gets a confirmation to download and to print.
// booking.test.js runs it with JavaScript on, nojs.test.js with JavaScript off: it is plain
// HTML forms and links, and must work the same.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import {
  BASE,
  RU,
  acceptNotice,
  bookableSpecialist,
  bookingCode,
  clickSlot,
  fillBooking,
  laterSlot,
  launch,
  navigateBy,
  newContext,
  notice,
  open,
  phoneForms,
  submitBooking,
  uniquePhone,
} from './helpers.js';

/** The booking form's text fields: id → label, as the issue names them. */
export const FIELDS = {
  last_name: 'Фамилия',
  first_name: 'Имя',
  middle_name: 'Отчество',
  birth_date: 'Дата рождения',
  phone: 'Телефон',
  email: 'Электронная почта',
};

/** `20261124T061000Z`, as DTSTART stands in the calendar file. */
export function icsTime(seconds) {
  return new Date(seconds * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Booking codes are 8 characters of this alphabet (crates/core/src/token.rs). */
export const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

/**
 * Declares the story's suite. `file` is the test file's digit for phones, `which` chooses the
 * specialist (see bookableSpecialist), `javaScriptEnabled` switches JavaScript.
 */
export function bookingStory({ file, which, javaScriptEnabled }) {
  const js = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';

  describe(`issue 2: a visitor books a visit online (${js})`, () => {
    let browser;
    let context;
    let page;
    let target; // the specialist to book with: { id, name, slots }
    let slot; // the slot to book
    let specialty; // { value, label } of the target's specialty in the search select
    const phone = phoneForms(uniquePhone(file));
    const typed = {
      last_name: 'Смирнова',
      first_name: 'Анна',
      middle_name: 'Сергеевна',
      birth_date: '1990-05-20',
      email: 'anna.smirnova@example.ru',
    };
    let code;

    before(async () => {
      browser = await launch();
      context = await newContext(browser, { javaScriptEnabled, acceptDownloads: true });
      target = await bookableSpecialist(context, which);
      slot = laterSlot(target, 0);
      page = await context.newPage();
    });

    after(async () => {
      await browser?.close();
    });

    test('the cookie notice is shown, and gone once accepted', async () => {
      await open(page, '/');
      const region = notice(page);
      await region.waitFor({ state: 'visible' });
      assert.equal(await region.getByRole('link', { name: /политикой конфиденциальности/ }).getAttribute('href'), '/privacy');
      await region.getByRole('button', { name: RU.noticeAccept, exact: true }).waitFor();
      await acceptNotice(page);
      assert.equal(new URL(page.url()).pathname, '/', 'back on the page the notice was accepted on');
      assert.equal(await notice(page).count(), 0, 'the notice is gone');
    });

    test('searches by specialty on the home form and lands on the directory', async () => {
      await open(page, '/');
      assert.equal(await notice(page).count(), 0, 'the notice stays gone');
      // The target's specialty, as the select names it.
      const profile = await context.request.get(`/specialists/${target.id}`);
      const names = (await profile.text()).match(/<p class="specialties">([^<]*)<\/p>/)?.[1] ?? '';
      const options = await page
        .locator('#specialty option')
        .evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
      specialty = options.find((o) => o.value && names.includes(o.label));
      assert.ok(specialty, `the select offers the specialty of ${target.name}`);
      await page.locator('#specialty').selectOption(specialty.value);
      await navigateBy(page, () =>
        page.getByRole('button', { name: RU.searchSubmit, exact: true }).click(),
      );
      const url = new URL(page.url());
      assert.equal(url.pathname, '/specialists');
      assert.equal(url.searchParams.get('specialty'), specialty.value);
      assert.equal(await page.locator('#specialty').inputValue(), specialty.value, 'the filter stays chosen');
      const cards = page.locator('li.card');
      assert.ok((await cards.count()) > 0, 'cards are listed');
      for (const text of await cards.locator('.specialties').allInnerTexts()) {
        assert.ok(text.includes(specialty.label), `«${text}» is a ${specialty.label}`);
      }
      assert.equal(await notice(page).count(), 0);
    });

    test('opens a specialist: services with prices and the free time', async () => {
      const link = page.locator('li.card h2 a', { hasText: target.name });
      await navigateBy(page, () => link.click());
      assert.equal(new URL(page.url()).pathname, `/specialists/${target.id}`);
      await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
      await page.getByRole('heading', { level: 2, name: RU.freeTime }).waitFor();
      await page.getByRole('heading', { level: 2, name: RU.servicesAndPrices }).waitFor();
      const prices = await page.locator('table.prices tbody td.num').allInnerTexts();
      assert.ok(prices.length > 0, 'services are listed');
      for (const price of prices) assert.match(price, /\d[\d\s]*₽/, 'each service has a price');
      assert.ok((await page.locator('a.slot').count()) > 0, 'free slots are offered');
    });

    test('clicks a slot: the form, its labelled fields and two unticked consents', async () => {
      await clickSlot(page, slot);
      const url = new URL(page.url());
      assert.equal(url.pathname, '/booking/new');
      assert.equal(url.searchParams.get('specialist'), String(target.id));
      assert.equal(url.searchParams.get('start'), String(slot.start));
      await page.getByRole('heading', { level: 1, name: RU.bookingTitle }).waitFor();
      const summary = await page.locator('.summary').innerText();
      assert.ok(summary.includes(target.name), 'the form names the specialist');
      assert.ok(summary.includes(slot.label.replace(/^Записаться на /, '')), 'and the time');
      for (const [id, label] of Object.entries(FIELDS)) {
        const field = page.getByLabel(new RegExp(`^${label}(?![а-яё])`, 'i'));
        assert.equal(await field.count(), 1, `one field is labelled «${label}»`);
        assert.equal(await field.getAttribute('id'), id, `«${label}» labels #${id}`);
        assert.equal(await field.inputValue(), '', `#${id} starts empty`);
      }
      for (const id of ['consent_personal_data', 'consent_health_data', 'consent_calls', 'consent_advertising']) {
        const box = page.locator(`#${id}`);
        assert.equal(await box.getAttribute('type'), 'checkbox');
        assert.equal(await box.isChecked(), false, `#${id} is not ticked in advance`);
        assert.ok((await page.locator(`label[for="${id}"]`).innerText()).length > 20, `#${id} is labelled`);
      }
      assert.equal(await page.locator('#consent_calls').getAttribute('required'), null, 'calls are optional');
    });

    test('a wrong submit gives the form back (422) with Russian messages and the typed values', async () => {
      await fillBooking(page, { ...typed, phone: '12-34' });
      await page.locator('#consent_calls').check();
      const response = await submitBooking(page);
      assert.equal(response.status(), 422);
      await page.getByRole('alert').getByText(RU.validation).waitFor();
      assert.equal(
        (await page.locator('#consent_personal_data-error').innerText()).trim(),
        RU.consentRequired,
      );
      assert.equal((await page.locator('#phone-error').innerText()).trim(), RU.phoneInvalid);
      assert.equal(await page.locator('#phone').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#phone').getAttribute('aria-describedby'), 'phone-error');
      assert.equal(await page.locator('#consent_personal_data').getAttribute('aria-invalid'), 'true');
      for (const [id, value] of Object.entries(typed)) {
        assert.equal(await page.locator(`#${id}`).inputValue(), value, `#${id} keeps what was typed`);
      }
      assert.equal(await page.locator('#phone').inputValue(), '12-34', 'the phone is kept as typed');
      assert.equal(await page.locator('#consent_calls').isChecked(), true, 'the optional consent stays ticked');
      assert.equal(await page.locator('#consent_personal_data').isChecked(), false);
      assert.equal(await page.locator('#last_name').getAttribute('aria-invalid'), null, 'good fields are not marked');
    });

    test('a correct submit lands on /booking/done with the code, the specialist and the time', async () => {
      await page.locator('#phone').fill(phone.plus);
      await page.locator('#consent_personal_data').check();
      await page.locator('#consent_health_data').check();
      const response = await submitBooking(page);
      assert.equal(response.status(), 200);
      assert.equal(page.url(), `${BASE}/booking/done`, 'the URL carries no code and no personal data');
      await page.getByRole('heading', { level: 1, name: RU.doneTitle }).waitFor();
      code = await bookingCode(page);
      assert.match(code, CODE, 'an 8-character booking code');
      const details = await page.locator('dl.details').innerText();
      assert.ok(details.includes(target.name), 'the specialist is named');
      assert.ok(details.includes(slot.label.replace(/^Записаться на /, '')), 'the date and time are shown');
      assert.ok(details.includes(`${typed.last_name} ${typed.first_name} ${typed.middle_name}`), 'the patient');
      const url = page.url();
      for (const secret of [code, typed.last_name, encodeURIComponent(typed.last_name), phone.plus.replace(/\D/g, '')]) {
        assert.ok(!url.includes(secret), `the URL does not contain ${secret}`);
      }
    });

    test('the «Добавить в календарь (.ics)» link downloads the visit', async () => {
      const link = page.getByRole('link', { name: RU.doneCalendar, exact: true });
      assert.equal(await link.getAttribute('href'), '/booking/done.ics', 'no code in the link');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.match(download.suggestedFilename(), /\.ics$/);
      const text = await readFile(await download.path(), 'utf8');
      assert.ok(text.startsWith('BEGIN:VCALENDAR'), `the file starts with BEGIN:VCALENDAR: ${text.slice(0, 40)}`);
      assert.ok(text.includes(`DTSTART:${icsTime(slot.start)}`), 'at the booked time');
      assert.ok(text.includes(code), 'with the booking code');
      assert.equal(new URL(page.url()).pathname, '/booking/done', 'the page stays');
    });

    test(`the «Распечатать» button is ${javaScriptEnabled ? 'shown (by app.js)' : 'hidden without JavaScript'}`, async () => {
      const printButton = page.locator('[data-print]');
      assert.equal(await printButton.count(), 1);
      assert.equal((await printButton.innerText()).trim(), RU.donePrint);
      if (javaScriptEnabled) {
        assert.equal(await printButton.getAttribute('hidden'), null, 'app.js took `hidden` away');
        assert.equal(await printButton.isVisible(), true, 'the «Распечатать» button shows with JavaScript');
      } else {
        assert.equal(await printButton.getAttribute('hidden'), '', 'the button keeps `hidden`');
        assert.equal(
          await printButton.isVisible(),
          false,
          'without JavaScript the button, which could not print, is not shown',
        );
      }
    });

    test('printing: the print layout hides the header and the buttons, and a PDF is made', async () => {
      assert.equal(await page.locator('header.site-header').isVisible(), true, 'the header shows on screen');
      await page.emulateMedia({ media: 'print' });
      try {
        assert.equal(await page.locator('header.site-header').isVisible(), false, 'no header in print');
        const noPrint = page.locator('.no-print');
        assert.ok((await noPrint.count()) > 0);
        for (const element of await noPrint.all()) {
          assert.equal(await element.isVisible(), false, 'no buttons in print');
        }
        assert.equal(await page.locator('.receipt .code').isVisible(), true, 'the code is printed');
        assert.equal(await page.locator('dl.details').isVisible(), true, 'the details are printed');
        const pdf = await page.pdf({ format: 'A4' });
        assert.ok(pdf.length > 1000, `a non-empty PDF (${pdf.length} bytes)`);
        assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }
    });

    test('the confirmation shows again on reload, and not in another browser', async () => {
      const again = await page.reload();
      assert.equal(again.status(), 200);
      assert.equal(await bookingCode(page), code);
      const stranger = await newContext(browser, { javaScriptEnabled });
      try {
        const response = await stranger.request.get('/booking/done');
        assert.equal(response.status(), 404, 'another browser has no receipt');
        assert.ok(!(await response.text()).includes(code));
      } finally {
        await stranger.close();
      }
    });
  });
}
