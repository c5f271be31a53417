// A visit is booked for a service at a price (B1, C4, C5), in the browser: the service picked
// on the specialist's page, the price on the booking form with the online discount, a promo
// code, a discount card and a certificate recalculated without booking, the one discount that
// applies and why, a code that gives nothing told beside its field, and the service and price
// on the confirmation and in the letter.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  BASE,
  RU,
  acceptedContext,
  checkA11y,
  directory,
  fillBooking,
  launch,
  navigateBy,
  open,
  patient,
  phoneForms,
  submitBooking,
  uniquePhone,
} from './helpers.js';
import { waitForLetter } from './mail.js';

const FILE = 4; // this file's digit in the phones it books with
const WHICH = 14; // this file's first specialist, counted from the end of the directory

const RECALCULATE = 'Пересчитать цену';
const CODE_LABEL = 'Дисконтная карта, сертификат или промокод';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** The services one books online with `id`, from the API. */
async function servicesOf(context, id) {
  const response = await context.request.get(`/api/v1/specialists/${id}/services`);
  assert.equal(response.status(), 200);
  return (await response.json()).items;
}

/**
 * A specialist open for booking online (from the `which`th from the end of the directory on)
 * who gives a service of `kind`, with that service.
 */
async function specialistWith(context, kind, which) {
  const online = (await directory(context)).filter((s) => s.online).reverse();
  for (let i = which; i < which + online.length; i += 1) {
    const s = online[i % online.length];
    const service = (await servicesOf(context, s.id)).find((x) => x.kind === kind);
    if (service) return { ...s, service };
  }
  assert.fail(`nobody gives a ${kind} online`);
}

/** Rubles as the pages print them: `2 790 ₽` with a narrow no-break space. */
function rubles(amount) {
  const grouped = String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${grouped}\u00a0₽`;
}

/**
 * On the specialist's page, picks the service in the «Услуга» list, shows its times and
 * opens the `nth` time at least three hours ahead. Returns the booking form's response.
 */
async function pickServiceAndTime(page, specialist, nth = 0) {
  await open(page, `/specialists/${specialist.id}`);
  const select = page.locator('#service');
  if (await select.count()) {
    await select.selectOption(String(specialist.service.id));
    await navigateBy(page, () => page.getByRole('button', { name: 'Показать время' }).click());
    assert.equal(await select.inputValue(), String(specialist.service.id), 'the service stays picked');
  }
  const soonest = Date.now() / 1000 + 3 * 3600;
  const links = await page.locator('a.slot').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const later = links.filter((href) => Number(new URL(href, 'http://x').searchParams.get('start')) >= soonest);
  assert.ok(later.length > nth, `${specialist.name} has ${nth + 1} free times this week`);
  assert.ok(later[nth].includes(`service=${specialist.service.id}`), 'the time carries the service');
  const response = await navigateBy(page, () => page.locator(`a.slot[href="${later[nth]}"]`).click());
  assert.equal(response.status(), 200);
  return response;
}

/** The price block of the booking form or the confirmation, as text. */
async function priceText(page) {
  return (await page.locator('.price-summary, .receipt .details').first().innerText()).replace(/[ \t\r\n]+/g, ' ');
}

/** Types a code and recalculates the price; nothing is booked. */
async function recalculate(page, code) {
  await page.getByLabel(CODE_LABEL).fill(code);
  return navigateBy(page, () => page.getByRole('button', { name: RECALCULATE }).click());
}

describe('booking for a service at a price', () => {
  let context;
  let page;

  before(async () => {
    context = await acceptedContext(browser);
    page = await context.newPage();
  });

  after(async () => {
    await context?.close();
  });

  test('an examination picked on the page, the promo code YASEN20 recalculated, booked: the price is on the confirmation and in the letter', async () => {
    const specialist = await specialistWith(context, 'diagnostics', WHICH);
    await pickServiceAndTime(page, specialist);
    const before = await priceText(page);
    assert.ok(before.includes(specialist.service.name), `the service on the form: ${before}`);
    assert.ok(before.includes(rubles(specialist.service.online_price)), `the online price: ${before}`);
    await checkA11y(page, 'the booking form with a price');

    const response = await recalculate(page, 'yasen20');
    assert.equal(response.status(), 200, 'a recalculation books nothing');
    const promo = await priceText(page);
    assert.ok(promo.includes(rubles(specialist.service.base_price * 0.8)), `20 % off: ${promo}`);
    assert.match(promo, /не суммируется с акцией; применена акция: 20/, promo);
    assert.equal(await page.getByLabel(CODE_LABEL).inputValue(), 'yasen20', 'the code stays typed');

    const email = `prices-${Date.now()}@example.ru`;
    await fillBooking(page, patient(phoneForms(uniquePhone(FILE)).plus, { email }));
    await page.locator('#consent_personal_data').check();
    await page.locator('#consent_health_data').check();
    await submitBooking(page);
    await page.getByRole('heading', { level: 1, name: RU.doneTitle }).waitFor();
    const done = await priceText(page);
    assert.ok(done.includes(specialist.service.name) && done.includes(rubles(specialist.service.base_price * 0.8)), done);
    assert.match(done, /••••\u00a0EN20/, 'the code is masked');
    await checkA11y(page, 'the confirmation with a price');

    const letter = await waitForLetter(email, 'Запись подтверждена');
    assert.ok(!letter.subject.includes(specialist.service.name), 'no service in the subject');
    assert.ok(!letter.body.includes(specialist.service.name), `no service in the body (medical secrecy):\n${letter.body}`);
    assert.match(letter.body, /Стоимость: [\d\u202f]+\u00a0₽ \(без скидки/, letter.body);
  });

  test('the discount card DEMO-CARD-15 beats the online discount of a consultation, and says why', async () => {
    const specialist = await specialistWith(context, 'consultation', WHICH + 1);
    await pickServiceAndTime(page, specialist);
    await recalculate(page, 'DEMO-CARD-15');
    const card = await priceText(page);
    const expected = Math.floor(specialist.service.base_price * 0.85 + 0.5);
    assert.ok(card.includes(rubles(expected)), `15 % off ${specialist.service.base_price}: ${card}`);
    if (specialist.service.online_price !== specialist.service.base_price) {
      assert.match(card, /скидка за онлайн-запись .+ не суммируется с дисконтной картой; применена дисконтная карта: 15/, card);
    }
  });

  test('a code that gives nothing is told beside its field, the form keeps what was typed and nothing is booked', async () => {
    const specialist = await specialistWith(context, 'consultation', WHICH + 2);
    await pickServiceAndTime(page, specialist, 1);
    const data = patient(phoneForms(uniquePhone(FILE)).plus, { last_name: 'Кодова', email: '' });
    await fillBooking(page, data);
    await page.locator('#consent_personal_data').check();
    await page.locator('#consent_health_data').check();
    await page.getByLabel(CODE_LABEL).fill('NOPE-2026');
    const response = await submitBooking(page);
    assert.equal(response.status(), 422);
    const field = page.getByLabel(CODE_LABEL);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const summary = page.locator('.alert[role=alert] a[href="#discount_code"]');
    assert.equal(await summary.count(), 1, 'the error summary leads to the code');
    assert.ok((await page.locator('#discount_code-error').innerText()).includes('Такой карты, сертификата или промокода нет'));
    assert.equal(await page.locator('#last_name').inputValue(), 'Кодова', 'the name stays typed');
    assert.equal(await field.inputValue(), 'NOPE-2026');
    await checkA11y(page, 'the booking form with a bad code');
  });

  test('the certificate DEMO-CERT-1000 pays 1 000 ₽ of one booking; a second booking is told it is used', async () => {
    const specialist = await specialistWith(context, 'consultation', WHICH + 3);
    await pickServiceAndTime(page, specialist, 2);
    await recalculate(page, 'DEMO-CERT-1000');
    const priced = await priceText(page);
    const expected = Math.max(0, specialist.service.base_price - 1000);
    assert.ok(priced.includes(rubles(expected)), `1 000 ₽ off ${specialist.service.base_price}: ${priced}`);
    await fillBooking(page, patient(phoneForms(uniquePhone(FILE)).plus, { email: '' }));
    await page.locator('#consent_personal_data').check();
    await page.locator('#consent_health_data').check();
    await submitBooking(page);
    await page.getByRole('heading', { level: 1, name: RU.doneTitle }).waitFor();
    assert.ok((await priceText(page)).includes(rubles(expected)));

    const other = await acceptedContext(browser);
    const second = await other.newPage();
    await pickServiceAndTime(second, specialist, 3);
    await recalculate(second, 'DEMO-CERT-1000');
    assert.ok((await second.locator('#discount_code-error').innerText()).includes('уже использован'));
    await other.close();
  });

  test('the booking form with a price fits a phone', async () => {
    const phone = await acceptedContext(browser, { viewport: { width: 390, height: 844 } });
    const small = await phone.newPage();
    const specialist = await specialistWith(phone, 'consultation', WHICH + 1);
    await pickServiceAndTime(small, specialist, 4);
    await recalculate(small, 'DEMO-CARD-15');
    const width = await small.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the form is ${width} px wide`);
    await checkA11y(small, 'the booking form with a price at 390 px');
    await open(small, `/specialists/${specialist.id}`);
    assert.ok((await small.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await checkA11y(small, 'the specialist page with the service list at 390 px');
    assert.ok(BASE);
    await phone.close();
  });
});
