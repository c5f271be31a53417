// Accessibility: axe-core (WCAG 2.0/2.1 A and AA, and best practices) reports no violation on
// any page of the site, first with the cookie notice shown (a fresh visitor) and then after the
// notice is accepted. The booking pages are reached as a visitor reaches them: the form by a
// slot link, the form with errors by an empty submit, the confirmation by a real booking.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  RU,
  acceptedContext,
  bookableSpecialist,
  checkA11y,
  clickSlot,
  directory,
  fillBooking,
  laterSlot,
  launch,
  newContext,
  open,
  patient,
  phoneForms,
  submitBooking,
  uniquePhone,
} from './helpers.js';

const FILE = 1; // this file's digit in the phones it books with

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

for (const mode of ['shown', 'accepted']) {
  describe(`every page passes axe-core with the cookie notice ${mode}`, () => {
    let context;
    let page;
    let closed; // a specialist closed for online booking
    let bookable; // a specialist with free slots, for the booking pages

    before(async () => {
      context = mode === 'shown' ? await newContext(browser) : await acceptedContext(browser);
      page = await context.newPage();
      const all = await directory(context);
      closed = all.find((s) => !s.online);
      // Its own specialist for each mode, apart from those of the other test files.
      bookable = await bookableSpecialist(context, mode === 'shown' ? 4 : 5);
    });

    after(async () => {
      await context?.close();
    });

    /** Opens a path, checks that the notice is shown or not as the mode says, runs axe. */
    async function check(path, status = 200) {
      await open(page, path, status);
      await expectNotice();
      await checkA11y(page, `${path} (cookie notice ${mode})`);
    }

    async function expectNotice() {
      // By its class: the region's label is in the page's language.
      assert.equal(
        await page.locator('section.notice').count(),
        mode === 'shown' ? 1 : 0,
        `the cookie notice is ${mode === 'shown' ? 'shown' : 'gone'} on ${page.url()}`,
      );
    }

    test('home page /', async () => {
      await check('/');
    });

    test('directory /specialists', async () => {
      await check('/specialists');
    });

    test('directory filtered by a specialty from the select', async () => {
      await open(page, '/specialists');
      const values = await page
        .locator('#specialty option')
        .evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
      assert.ok(values.length > 0, 'the specialty select offers specialties');
      await check(`/specialists?specialty=${encodeURIComponent(values[0])}`);
      assert.equal(await page.locator('#specialty').inputValue(), values[0]);
    });

    test('a specialist with online booking', async () => {
      await check(`/specialists/${bookable.id}`);
      assert.ok((await page.locator('a.slot').count()) > 0, 'the page offers slots');
    });

    test('a specialist closed for online booking', async () => {
      assert.ok(closed, `the directory has a specialist marked «${RU.bookingByPhone}»`);
      await check(`/specialists/${closed.id}`);
      assert.equal(await page.locator('a.slot').count(), 0, 'no slot links');
      await page.getByText(RU.bookingByPhone).first().waitFor();
    });

    test('price list /prices', async () => {
      await check('/prices');
    });

    test('price list searched: /prices?q=УЗИ', async () => {
      await check(`/prices?q=${encodeURIComponent('УЗИ')}`);
      assert.ok((await page.locator('table.prices tbody tr').count()) > 0, 'УЗИ is found');
    });

    test('service rules /rules', async () => {
      await check('/rules');
    });

    test('privacy policy /privacy', async () => {
      await check('/privacy');
    });

    test('notice declined /notice/declined', async () => {
      await check('/notice/declined');
    });

    test('booking form, reached by the first later slot link of a specialist page', async () => {
      await open(page, `/specialists/${bookable.id}`);
      await clickSlot(page, laterSlot(bookable, 0));
      await expectNotice();
      await checkA11y(page, `booking form (cookie notice ${mode})`);
    });

    test('booking form re-rendered with errors (submitted empty)', async () => {
      await open(page, `/specialists/${bookable.id}`);
      await clickSlot(page, laterSlot(bookable, 0));
      const response = await submitBooking(page);
      assert.equal(response.status(), 422);
      assert.ok((await page.locator('[aria-invalid="true"]').count()) > 0, 'fields are marked');
      await expectNotice();
      await checkA11y(page, `booking form with errors (cookie notice ${mode})`);
    });

    test('confirmation page after a real booking', async () => {
      await open(page, `/specialists/${bookable.id}`);
      await clickSlot(page, laterSlot(bookable, 0));
      await fillBooking(page, patient(phoneForms(uniquePhone(FILE)).plus));
      await page.locator('#consent_personal_data').check();
      await page.locator('#consent_health_data').check();
      const response = await submitBooking(page);
      assert.equal(response.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/booking/done');
      await page.getByRole('heading', { level: 1, name: RU.doneTitle }).waitFor();
      await expectNotice();
      await checkA11y(page, `confirmation (cookie notice ${mode})`);
    });

    test('404 page /nope is the site\'s own page and passes axe-core', async () => {
      const response = await context.request.get('/nope');
      assert.equal(response.status(), 404);
      const body = await response.text();
      assert.match(
        response.headers()['content-type'] || '',
        /^text\/html/,
        `GET /nope answers an HTML page (got ${body.length} bytes, ` +
          `content-type ${response.headers()['content-type'] ?? 'none'})`,
      );
      assert.ok(body.includes(RU.notFound), `the page says «${RU.notFound}»`);
      await check('/nope', 404);
      await page.getByRole('heading', { level: 1, name: RU.notFound }).waitFor();
    });

    // Last: switching the language sets a cookie for the whole context.
    test('home page in English (/lang/en?next=/)', async () => {
      await check('/lang/en?next=/');
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    });
  });
}
