// The rules of the one-time booking, in the browser: one booking per phone number (however the
// number is written), and one patient per slot (the second of two visitors who opened the same
// slot is told it is taken; the first one's booking stands).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  RU,
  bookableSpecialist,
  bookingCode,
  checkA11y,
  clickSlot,
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
import { CODE } from './story.js';

const FILE = 3; // this file's digit in the phones it books with
const WHICH = 2; // this file's specialist (see bookableSpecialist)

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** A visitor's own browser: a fresh context and page. */
async function visitor() {
  const context = await newContext(browser);
  const page = await context.newPage();
  return { context, page };
}

/** Opens the specialist's page, then the slot's form, fills it in and ticks the consent. */
async function fillForm(page, specialist, slot, data) {
  await open(page, `/specialists/${specialist.id}`);
  await clickSlot(page, slot);
  await fillBooking(page, data);
  await page.locator('#consent_personal_data').check();
  await page.locator('#consent_health_data').check();
}

describe('one-time booking: once per phone number', () => {
  let target;
  let other;
  let first;
  const phone = phoneForms(uniquePhone(FILE));

  before(async () => {
    first = await visitor();
    target = await bookableSpecialist(first.context, WHICH, 4);
    other = await bookableSpecialist(first.context, WHICH + 4, 2);
    assert.notEqual(other.id, target.id);
  });

  after(async () => {
    await first?.context.close();
  });

  test("the first booking, with the phone written +7 9XX XXX XX XX, is made", async () => {
    await fillForm(first.page, target, laterSlot(target, 0), patient(phone.plus));
    const response = await submitBooking(first.page);
    assert.equal(response.status(), 200);
    await first.page.getByRole('heading', { level: 1, name: RU.doneTitle }).waitFor();
    assert.match(await bookingCode(first.page), CODE);
  });

  test("a second one with the same phone written 8 (9XX) XXX-XX-XX on another slot is refused, and the form keeps the values", async () => {
    const data = patient(phone.eight, { last_name: 'Петрова', first_name: 'Ольга', email: '' });
    await fillForm(first.page, target, laterSlot(target, 1), data);
    await first.page.locator('#consent_calls').check();
    const response = await submitBooking(first.page);
    assert.equal(response.status(), 409);
    const alert = first.page.getByRole('alert');
    assert.ok((await alert.innerText()).includes(RU.oneTimeUsed), `the page says «${RU.oneTimeUsed}»`);
    for (const [id, value] of Object.entries(data)) {
      assert.equal(await first.page.locator(`#${id}`).inputValue(), value, `#${id} keeps what was typed`);
    }
    assert.equal(await first.page.locator('#consent_personal_data').isChecked(), true);
    assert.equal(await first.page.locator('#consent_calls').isChecked(), true);
    await checkA11y(first.page, 'booking form refused: one-time booking used');
  });

  test('the same phone is refused with another specialist too, from another browser', async () => {
    const second = await visitor();
    try {
      const digits = phone.plus.replace(/\D/g, '').slice(1);
      await fillForm(second.page, other, laterSlot(other, 0), patient(digits));
      const response = await submitBooking(second.page);
      assert.equal(response.status(), 409);
      assert.ok((await second.page.getByRole('alert').innerText()).includes(RU.oneTimeUsed));
      assert.equal(await second.page.locator('#phone').inputValue(), digits);
    } finally {
      await second.context.close();
    }
  });

  test('the refused slots are still free', async () => {
    const slot = laterSlot(target, 1);
    await open(first.page, `/specialists/${target.id}?week=${slot.week}`);
    assert.equal(await first.page.locator(`a.slot[href="${slot.href}"]`).count(), 1);
  });
});

describe('one-time booking: one patient per slot', () => {
  let target;
  let slot;
  let a;
  let b;
  const phoneA = phoneForms(uniquePhone(FILE)).plus;
  const phoneB = phoneForms(uniquePhone(FILE)).eight;
  let codeA;

  before(async () => {
    a = await visitor();
    b = await visitor();
    target = await bookableSpecialist(a.context, WHICH, 4);
    // Apart from the slots that the suite above books or tries.
    slot = laterSlot(target, 2);
  });

  after(async () => {
    await a?.context.close();
    await b?.context.close();
  });

  test('two visitors open the form of the same slot', async () => {
    await fillForm(a.page, target, slot, patient(phoneA, { last_name: 'Кузнецова' }));
    await fillForm(b.page, target, slot, patient(phoneB, { last_name: 'Волков', first_name: 'Игорь', middle_name: '' }));
    assert.equal(new URL(a.page.url()).search, new URL(b.page.url()).search, 'the same slot');
  });

  test('the first to submit gets it', async () => {
    const response = await submitBooking(a.page);
    assert.equal(response.status(), 200);
    assert.equal(new URL(a.page.url()).pathname, '/booking/done');
    codeA = await bookingCode(a.page);
    assert.match(codeA, CODE);
  });

  test('the second is told «Это время уже занято» (409) and offered another time', async () => {
    const response = await submitBooking(b.page);
    assert.equal(response.status(), 409);
    const alert = b.page.getByRole('alert');
    assert.ok((await alert.innerText()).includes(RU.slotTaken), `the page says «${RU.slotTaken}»`);
    const other = alert.getByRole('link', { name: 'Выбрать другое время' });
    assert.equal(await other.getAttribute('href'), `/specialists/${target.id}#free-time`);
    await checkA11y(b.page, 'booking form refused: slot taken');
  });

  test('the first confirmation still works, and the slot is no longer offered', async () => {
    const response = await a.page.reload();
    assert.equal(response.status(), 200);
    assert.equal(await bookingCode(a.page), codeA);
    assert.ok((await a.page.locator('dl.details').innerText()).includes('Кузнецова'));
    await open(b.page, `/specialists/${target.id}?week=${slot.week}`);
    assert.equal(await b.page.locator(`a.slot[href="${slot.href}"]`).count(), 0);
  });

  test('the refused phone can still book another slot', async () => {
    await fillForm(b.page, target, laterSlot(target, 3), patient(phoneB, { last_name: 'Волков', first_name: 'Игорь', middle_name: '' }));
    const response = await submitBooking(b.page);
    assert.equal(response.status(), 200);
    assert.match(await bookingCode(b.page), CODE);
  });
});
