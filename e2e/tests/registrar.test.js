// The clinic's back office in the browser, as a new clinic starts with it: `kabinet staff`
// (the server binary, run against the e2e database while the server runs) prints the first
// administrator's one-time link; the administrator creates their account, signs in at
// /staff/login and adds a registrar, who sets a password by the setup link. The registrar gives
// a new patient confirmed access and prints the sheet with the one-time password; the patient
// signs in with it, cannot reach the cabinet before setting a personal password, books two
// visits in one click each; the registrar sees them in the feed and on the patient's card; the
// one-time password does not work twice. axe-core checks every staff and patient page.
//
// It needs a database without an administrator (e2e/run.sh makes a new one each run) and the
// variables KABINET_E2E_BIN and KABINET_E2E_DATABASE_URL that e2e/run.sh exports; without them
// the file is skipped.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import {
  BASE,
  acceptedContext,
  bookableSpecialist,
  checkA11y,
  clickSlot,
  enrolSecondFactor,
  laterSlot,
  launch,
  navigateBy,
  newContext,
  open,
  phoneForms,
  totp,
  uniquePhone,
} from './helpers.js';

const FILE = 6; // this file's digit in the phones it registers with
const WHICH = 7; // this file's specialist (see bookableSpecialist)

const BIN = process.env.KABINET_E2E_BIN;
const DATABASE_URL = process.env.KABINET_E2E_DATABASE_URL;
const SKIP =
  BIN && DATABASE_URL ? false : 'KABINET_E2E_BIN and KABINET_E2E_DATABASE_URL are set by e2e/run.sh';

const RUN = Date.now();
const ADMIN = {
  login: `admin.${RUN}`,
  fullName: 'Орлова Вера Николаевна',
  password: 'тёплый свет над старой пристанью',
};
const REGISTRAR = {
  login: `registrar.${RUN}`,
  fullName: 'Кузнецова Ирина Сергеевна',
  password: 'жёлтые листья на мокром асфальте',
};
const PATIENT = {
  last_name: 'Белова',
  first_name: 'Ольга',
  middle_name: 'Игоревна',
  birth_date: '1979-06-21',
  phone: phoneForms(uniquePhone(FILE)).eight,
  login: `olga.belova.${RUN}@example.ru`,
  card_number: `Р-${RUN % 1_000_000}/26`,
  paper_reference: `Заявление № ${RUN % 10_000} от сегодняшнего дня`,
  password: 'синий парус у белого маяка',
};
// The one-time passwords' alphabet: no 0/O, 1/I/L look-alikes (docs/STAFF.md).
const OTP_SHAPE = /^[2-9A-HJKMNP-Z]{10}$/;

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Clicks a button by its exact name and waits for the page it leads to. */
async function press(page, name) {
  return navigateBy(page, () => page.getByRole('button', { name, exact: true }).click());
}

/** Clicks a link by its exact name and waits for the page it leads to. */
async function follow(page, name) {
  return navigateBy(page, () => page.getByRole('link', { name, exact: true }).click());
}

/** Signs in at /staff/login; returns the response of the page it ends on. */
async function staffSignIn(page, login, password) {
  await open(page, '/staff/login');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  return press(page, 'Войти');
}

/** Signs in at /login (the patients' form); returns the response of the page it ends on. */
async function patientSignIn(page, login, password) {
  await open(page, '/login');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  return press(page, 'Войти');
}

/** `kabinet staff` against the e2e database, as an operator runs it: its standard output. */
function runStaffCommand() {
  return execFileSync(BIN, ['staff'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      KABINET_DATABASE_URL: DATABASE_URL,
      KABINET_PUBLIC_URL: BASE,
      KABINET_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'], // a refusal goes into the thrown error, not the output
    timeout: 30_000,
  });
}

/** The text of the <dd> after the <dt> that says exactly `term` on the page. */
async function detail(page, term) {
  const exactly = new RegExp(`^${term.replace(/[()]/g, '\\$&')}$`);
  const dt = page.locator('dl.details dt').filter({ hasText: exactly });
  const dd = dt.locator('xpath=following-sibling::dd[1]');
  return (await dd.innerText()).trim();
}

const STORY = 'the back office: first administrator, a registrar, confirmed access, the patient';

describe(STORY, { skip: SKIP }, () => {
  let admin; // the administrator's browser
  let registrar; // the registrar's browser
  let patient; // the patient's browser
  let adminPage;
  let regPage;
  let patPage;
  let setupLink;
  let oneTimePassword;
  let patientId;
  let specialist;
  const codes = [];

  before(async () => {
    admin = await newContext(browser);
    adminPage = await admin.newPage();
  });

  after(async () => {
    await admin?.close();
    await registrar?.close();
    await patient?.close();
  });

  test('kabinet staff prints a one-time link that creates the first administrator', async () => {
    const out = runStaffCommand();
    const match = out.match(/https?:\/\/\S+\/staff\/bootstrap\?token=\S+/);
    assert.ok(match, `a bootstrap link in the output of kabinet staff:\n${out}`);
    const link = match[0];
    assert.ok(link.startsWith(`${BASE}/staff/bootstrap?token=`), 'the link is on the public URL');

    const response = await adminPage.goto(link);
    assert.equal(response.status(), 200);
    await adminPage.getByRole('heading', { name: 'Первый администратор' }).waitFor();
    await checkA11y(adminPage, 'the bootstrap form');

    // A common password is refused, and what was typed (but the password) stays.
    await adminPage.locator('#login').fill(ADMIN.login);
    await adminPage.locator('#full_name').fill(ADMIN.fullName);
    await adminPage.locator('#password').fill('1234567890');
    const refused = await press(adminPage, 'Сохранить');
    assert.equal(refused.status(), 422);
    await adminPage.locator('#password-error', { hasText: 'Этот пароль слишком распространён.' }).waitFor();
    assert.equal(await adminPage.locator('#login').inputValue(), ADMIN.login);
    assert.equal(await adminPage.locator('#full_name').inputValue(), ADMIN.fullName);
    assert.equal(await adminPage.locator('#password').inputValue(), '', 'no password comes back');
    assert.equal(await adminPage.locator('#password').getAttribute('aria-invalid'), 'true');
    await checkA11y(adminPage, 'the bootstrap form with an error');

    await adminPage.locator('#password').fill(ADMIN.password);
    const done = await press(adminPage, 'Сохранить');
    assert.equal(done.status(), 200);
    await adminPage.getByText('Готово. Теперь войдите со своим логином и паролем.').waitFor();
    await checkA11y(adminPage, 'the bootstrap done page');

    // The link works once, and no second link is issued once an administrator exists.
    const again = await adminPage.goto(link);
    assert.equal(again.status(), 404, 'the used bootstrap link answers 404');
    await adminPage.getByText('Ссылка недействительна').waitFor();
    await checkA11y(adminPage, 'the used bootstrap link');
    assert.throws(runStaffCommand, /administrator exists already/, 'kabinet staff refuses now');
  });

  test('the administrator signs in at /staff/login', async () => {
    await open(adminPage, '/staff');
    assert.match(adminPage.url(), /\/staff\/login$/, 'staff pages need a staff session');
    await checkA11y(adminPage, 'the staff sign-in form');

    const wrong = await staffSignIn(adminPage, ADMIN.login, 'совсем не тот пароль');
    assert.equal(wrong.status(), 401);
    await adminPage.getByRole('alert').waitFor();
    await checkA11y(adminPage, 'the staff sign-in form with an error');

    await staffSignIn(adminPage, ADMIN.login, ADMIN.password);
    assert.match(adminPage.url(), /\/staff\/enrol$/, 'the first sign-in enrols a second factor');
    await adminPage.goto('/staff');
    assert.match(adminPage.url(), /\/staff\/login$/, 'the password alone opens nothing');
    await open(adminPage, '/staff/code');
    assert.match(adminPage.url(), /\/staff\/enrol$/);
    await checkA11y(adminPage, 'the enrolment page');
    await adminPage.locator('#code').fill('000000');
    const wrongCode = await press(adminPage, 'Подключить');
    assert.equal(wrongCode.status(), 401);
    await adminPage.getByRole('alert').waitFor();
    const enrolled = await enrolSecondFactor(adminPage);
    ADMIN.secret = enrolled.secret;
    ADMIN.recoveryCodes = enrolled.recoveryCodes;
    assert.ok(ADMIN.recoveryCodes.every((c) => /^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$/.test(c)));
    await checkA11y(adminPage, 'the recovery codes page');
    await follow(adminPage, 'Перейти в рабочий кабинет');
    assert.match(adminPage.url(), /\/staff$/);
    await adminPage.getByRole('heading', { name: 'Поиск пациента' }).waitFor();
    await adminPage.getByText(ADMIN.fullName).waitFor();
    await checkA11y(adminPage, 'the staff home page (administrator)');
  });

  test('every later sign-in asks for a code: a wrong one is refused, a recovery code works once', async () => {
    await press(adminPage, 'Выйти');
    await staffSignIn(adminPage, ADMIN.login, ADMIN.password);
    assert.match(adminPage.url(), /\/staff\/code$/);
    await adminPage.getByRole('heading', { name: 'Код подтверждения' }).waitFor();
    await checkA11y(adminPage, 'the code step');
    const wrong = totp(ADMIN.secret) === '000000' ? '111111' : '000000';
    await adminPage.locator('#code').fill(wrong);
    const refused = await press(adminPage, 'Подтвердить');
    assert.equal(refused.status(), 401);
    await adminPage.getByRole('alert').waitFor();
    await checkA11y(adminPage, 'the code step with an error');
    await adminPage.locator('#code').fill(ADMIN.recoveryCodes[0]);
    await press(adminPage, 'Подтвердить');
    assert.match(adminPage.url(), /\/staff$/);

    await press(adminPage, 'Выйти');
    await staffSignIn(adminPage, ADMIN.login, ADMIN.password);
    await adminPage.locator('#code').fill(ADMIN.recoveryCodes[0]);
    const used = await press(adminPage, 'Подтвердить');
    assert.equal(used.status(), 401, 'a recovery code works once');
    // The code of the next step: the enrolment spent this step's code.
    const next = totp(ADMIN.secret, Date.now() + 30_000);
    await adminPage.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
    await adminPage.locator('#code').fill(next);
    await press(adminPage, 'Подтвердить');
    assert.match(adminPage.url(), /\/staff$/);
  });

  test('the administrator adds a registrar and gets a one-time setup link', async () => {
    await follow(adminPage, 'Сотрудники');
    assert.match(adminPage.url(), /\/staff\/team$/);
    await checkA11y(adminPage, 'the team page');

    await adminPage.locator('#login').fill(REGISTRAR.login);
    await adminPage.locator('#full_name').fill(REGISTRAR.fullName);
    await adminPage.locator('#role').selectOption('registrar');
    const added = await press(adminPage, 'Добавить');
    assert.equal(added.status(), 200);
    const shown = adminPage.getByRole('status').locator('code');
    setupLink = (await shown.innerText()).trim();
    assert.ok(setupLink.startsWith(`${BASE}/staff/setup?token=`), `a setup link: ${setupLink}`);
    assert.ok(!adminPage.url().includes('token'), 'the link is not in the URL');
    const row = adminPage.locator('table tbody tr', { hasText: REGISTRAR.login });
    assert.ok((await row.innerText()).includes('Регистратор'), 'the new colleague is a registrar');
    assert.ok((await row.innerText()).includes('Ожидает активации'), 'without a password yet');
    await checkA11y(adminPage, 'the team page with the setup link');
  });

  test('the registrar sets a password by the link and signs in in their own browser', async () => {
    registrar = await newContext(browser);
    regPage = await registrar.newPage();
    const response = await regPage.goto(setupLink);
    assert.equal(response.status(), 200);
    await regPage.getByRole('heading', { name: 'Пароль сотрудника' }).waitFor();
    await checkA11y(regPage, 'the staff setup form');
    await regPage.locator('#password').fill(REGISTRAR.password);
    await press(regPage, 'Сохранить');
    await regPage.getByText('Готово. Теперь войдите со своим логином и паролем.').waitFor();
    await checkA11y(regPage, 'the staff setup done page');

    await follow(regPage, 'Войти');
    assert.match(regPage.url(), /\/staff\/login$/);
    await staffSignIn(regPage, REGISTRAR.login, REGISTRAR.password);
    assert.match(regPage.url(), /\/staff\/enrol$/);
    await enrolSecondFactor(regPage);
    await follow(regPage, 'Перейти в рабочий кабинет');
    assert.match(regPage.url(), /\/staff$/);
    await regPage.getByText(REGISTRAR.fullName).waitFor();
    const menu = regPage.getByRole('navigation', { name: 'Меню регистратуры' });
    const teamLinks = await menu.getByRole('link', { name: 'Сотрудники' }).count();
    assert.equal(teamLinks, 0, 'no team page in a registrar\'s menu');
    await checkA11y(regPage, 'the staff home page (registrar)');
  });

  test('a registrar is refused the team page, on an accessible page', async () => {
    const page = await registrar.newPage();
    try {
      const team = await page.goto('/staff/team');
      assert.equal(team.status(), 403, 'a registrar may not open the team page');
      await page.getByRole('heading', { name: 'Действие не выполнено' }).waitFor();
      await checkA11y(page, 'the refusal of the team page');
    } finally {
      await page.close();
    }
  });

  test('the registrar does not find the patient, and gives them confirmed access', async () => {
    await open(regPage, '/staff');
    await regPage.locator('#q').fill(PATIENT.phone);
    await press(regPage, 'Найти');
    assert.match(regPage.url(), /\/staff\/search$/, 'the search is a POST: no phone in the URL');
    await regPage.getByText('Никого не нашли.').waitFor();
    await checkA11y(regPage, 'the search without results');

    await navigateBy(regPage, () =>
      regPage.locator('main').getByRole('link', { name: 'Новый доступ', exact: true }).click(),
    );
    assert.match(regPage.url(), /\/staff\/access\/new$/);
    await regPage.getByRole('heading', { name: 'Подтверждённый доступ' }).waitFor();
    await checkA11y(regPage, 'the confirmed access form');

    const typed = ['last_name', 'first_name', 'middle_name', 'birth_date', 'phone', 'login'];
    for (const name of [...typed, 'card_number', 'paper_reference']) {
      await regPage.locator(`#${name}`).fill(PATIENT[name]);
    }
    const rules = await regPage.locator('#rules_version').inputValue();
    assert.match(rules, /^\d+$/, 'the current rules version is filled in');
    const sheet = await press(regPage, 'Оформить доступ и выдать одноразовый пароль');
    assert.equal(sheet.status(), 200);
    assert.match(sheet.headers()['cache-control'] || '', /no-store/, 'the sheet is never cached');
    assert.match(regPage.url(), /\/staff\/access$/, 'the sheet is the answer to the POST');
    await regPage.getByRole('heading', { name: 'Данные для входа в личный кабинет' }).waitFor();
    await checkA11y(regPage, 'the one-time password sheet');

    const fullName = `${PATIENT.last_name} ${PATIENT.first_name} ${PATIENT.middle_name}`;
    assert.equal(await detail(regPage, 'Пациент'), fullName);
    assert.equal(await detail(regPage, 'Адрес портала'), `${BASE}/login`);
    assert.equal(await detail(regPage, 'Логин (адрес электронной почты)'), PATIENT.login);
    oneTimePassword = await detail(regPage, 'Одноразовый пароль');
    assert.match(oneTimePassword, OTP_SHAPE, 'ten characters without look-alikes');
    assert.ok(!regPage.url().includes(oneTimePassword), 'the password is not in the URL');

    const back = regPage.getByRole('link', { name: 'К карточке пациента', exact: true });
    patientId = Number((await back.getAttribute('href')).match(/\/staff\/patients\/(\d+)$/)[1]);
    assert.ok(patientId > 0);
  });

  test('the sheet prints without the site around it', async () => {
    await regPage.getByRole('button', { name: 'Распечатать', exact: true }).waitFor();
    await regPage.emulateMedia({ media: 'print' });
    assert.equal(await regPage.locator('.site-header').isVisible(), false, 'no header on paper');
    const buttons = regPage.locator('.receipt .no-print').first();
    assert.equal(await buttons.isVisible(), false, 'no buttons on paper');
    const printed = regPage.getByText(oneTimePassword);
    assert.equal(await printed.isVisible(), true, 'the password is printed');
    const pdf = await regPage.pdf({ format: 'A4' });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'Chromium printed a PDF');
    await regPage.emulateMedia({ media: 'screen' });
  });

  test('the registrar now finds the patient by the card number', async () => {
    await open(regPage, '/staff');
    await regPage.locator('#q').fill(PATIENT.card_number);
    await press(regPage, 'Найти');
    const found = regPage.locator(`a[href="/staff/patients/${patientId}"]`);
    assert.equal(await found.count(), 1, 'the patient is found');
    await checkA11y(regPage, 'the search with a result');
    await navigateBy(regPage, () => found.click());
    assert.equal(await detail(regPage, 'Номер медицинской карты'), PATIENT.card_number);
    assert.equal(await detail(regPage, 'Уровень доступа'), 'Подтверждённый доступ', 'the level in words, not as stored');
    assert.match(await detail(regPage, 'Состояние'), /^Ожидает активации/);
    await checkA11y(regPage, 'the patient card awaiting activation');
  });

  test('the patient signs in with the one-time password and must set a personal one', async () => {
    patient = await acceptedContext(browser);
    patPage = await patient.newPage();
    await open(patPage, '/login');
    await checkA11y(patPage, 'the sign-in form');
    await patientSignIn(patPage, PATIENT.login, oneTimePassword);
    assert.match(patPage.url(), /\/account\/activate$/, 'the one-time password leads to activation');
    await patPage.getByRole('heading', { name: 'Задайте личный пароль' }).waitFor();
    await checkA11y(patPage, 'the activation form');

    for (const path of ['/cabinet', '/cabinet/messages', '/cabinet/security']) {
      await open(patPage, path);
      assert.match(patPage.url(), /\/account\/activate$/, `${path} leads back to the activation`);
    }

    await patPage.locator('#password').fill(PATIENT.password);
    await patPage.locator('#password_repeat').fill('синий парус у белого маяк');
    const mismatch = await press(patPage, 'Сохранить пароль');
    assert.equal(mismatch.status(), 422);
    await patPage.getByText('Пароли не совпадают.', { exact: true }).waitFor();
    await checkA11y(patPage, 'the activation form with an error');

    await patPage.locator('#password').fill(PATIENT.password);
    await patPage.locator('#password_repeat').fill(PATIENT.password);
    await press(patPage, 'Сохранить пароль');
    assert.match(patPage.url(), /\/cabinet\?done=activated$/);
    await patPage.getByText('Личный пароль сохранён. Добро пожаловать!').waitFor();
    await patPage.getByText(`Здравствуйте, ${PATIENT.first_name} ${PATIENT.middle_name}!`).waitFor();
    await patPage.getByText('Подтверждённый доступ.', { exact: true }).waitFor();
    await checkA11y(patPage, 'the cabinet after activation');
  });

  test('the patient books two visits in one click each', async () => {
    specialist = await bookableSpecialist(patient, WHICH, 3);
    for (const nth of [0, 1]) {
      const slot = laterSlot(specialist, nth);
      await open(patPage, `/specialists/${specialist.id}`);
      if (nth === 0) await checkA11y(patPage, 'the specialist page, signed in');
      await clickSlot(patPage, slot);
      assert.equal(await patPage.locator('#last_name').count(), 0, 'no personal data typed again');
      if (nth === 0) await checkA11y(patPage, 'the one-click booking');
      await press(patPage, 'Записаться');
      assert.match(patPage.url(), /\/cabinet/);
      await patPage.getByText('Вы записаны.').waitFor();
    }
    const rows = patPage.locator('table.visits tbody tr');
    assert.equal(await rows.count(), 2, 'confirmed access holds more than one visit');
    for (const row of await rows.all()) {
      assert.ok((await row.innerText()).includes(specialist.name), 'the visit shows the specialist');
      codes.push((await row.locator('.code-cell').innerText()).trim());
    }
    await checkA11y(patPage, 'the cabinet with two visits');
  });

  test('the registrar sees the bookings in the feed and on the patient card', async () => {
    await follow(regPage, 'Лента изменений');
    assert.match(regPage.url(), /\/staff\/feed$/);
    const card = regPage.locator(`a[href="/staff/patients/${patientId}"]`);
    const entries = regPage.locator('main li', { has: card });
    assert.equal(await entries.count(), 2, 'two entries for the patient');
    for (const entry of await entries.all()) {
      const text = await entry.innerText();
      const name = `${PATIENT.last_name} ${PATIENT.first_name}`;
      assert.ok(text.includes(name), `the patient's name: ${text}`);
      assert.ok(text.includes('Запись на приём онлайн'), `an online booking: ${text}`);
      assert.ok(text.includes(specialist.name), `the specialist: ${text}`);
    }
    await checkA11y(regPage, 'the feed');

    await navigateBy(regPage, () => entries.first().getByRole('link').click());
    assert.match(regPage.url(), new RegExp(`/staff/patients/${patientId}$`));
    assert.match(await detail(regPage, 'Состояние'), /^Действует$/, 'the account is active now');
    const planned = regPage
      .getByRole('heading', { name: 'Запланированные приёмы' })
      .locator('xpath=following-sibling::ul[1]/li');
    assert.equal(await planned.count(), 2, 'two planned visits');
    const text = await planned.allInnerTexts();
    for (const code of codes) {
      const shown = text.some((t) => t.includes(specialist.name) && t.includes(`(${code})`));
      assert.ok(shown, `visit ${code} on the card:\n${text.join('\n')}`);
    }
    await checkA11y(regPage, 'the patient card with visits');
  });

  test('the one-time password works only once', async () => {
    const stranger = await acceptedContext(browser);
    try {
      const page = await stranger.newPage();
      const refused = await patientSignIn(page, PATIENT.login, oneTimePassword);
      assert.equal(refused.status(), 401);
      await page.getByText('Неверный логин или пароль.').waitFor();
      assert.match(page.url(), /\/login$/);
      await checkA11y(page, 'the sign-in form after a used one-time password');
      const ok = await patientSignIn(page, PATIENT.login, PATIENT.password);
      assert.equal(ok.status(), 200);
      assert.match(page.url(), /\/cabinet$/, 'the personal password works');
      await checkA11y(page, 'the cabinet in another browser');
    } finally {
      await stranger.close();
    }
  });
  test('a lost phone: the administrator resets the registrar\'s second factor, who enrols again', async () => {
    await open(adminPage, '/staff/team');
    const row = adminPage.locator('table tbody tr', { hasText: REGISTRAR.login });
    assert.ok((await row.innerText()).includes('Подключён'), 'the registrar has a second factor');
    await navigateBy(adminPage, () =>
      row.getByRole('button', { name: 'Сбросить второй фактор', exact: true }).click(),
    );
    assert.match(adminPage.url(), /\/staff\/team$/);
    const after = adminPage.locator('table tbody tr', { hasText: REGISTRAR.login });
    assert.ok((await after.innerText()).includes('Не подключён'), 'the second factor is gone');
    await checkA11y(adminPage, 'the team page after a reset');

    await regPage.goto('/staff');
    assert.match(regPage.url(), /\/staff\/login$/, 'the registrar\'s session ended');
    await staffSignIn(regPage, REGISTRAR.login, REGISTRAR.password);
    assert.match(regPage.url(), /\/staff\/enrol$/, 'the registrar enrols again');
    await enrolSecondFactor(regPage);
    await follow(regPage, 'Перейти в рабочий кабинет');
    assert.match(regPage.url(), /\/staff$/);
  });

  test('an auditor reads who opened the patient\'s card, from where; an administrator cannot unless made one', async () => {
    const refused = await adminPage.goto('/staff/audit');
    assert.equal(refused.status(), 403, 'an administrator is not an auditor by role');
    await open(adminPage, '/staff/team');
    const row = adminPage.locator('table tbody tr', { hasText: REGISTRAR.login });
    await navigateBy(adminPage, () =>
      row.getByRole('button', { name: 'Сделать аудитором', exact: true }).click(),
    );
    const after = adminPage.locator('table tbody tr', { hasText: REGISTRAR.login });
    assert.ok((await after.innerText()).includes('Аудитор'), 'the role shows on the team page');

    await open(regPage, `/staff/patients/${patientId}`);
    await follow(regPage, 'Кто обращался к данным пациента');
    assert.match(regPage.url(), new RegExp(`/staff/audit\\?patient=${patientId}$`));
    const entries = regPage.locator('ol.audit li');
    assert.ok((await entries.count()) > 0, 'the patient has entries');
    const text = await regPage.locator('ol.audit').innerText();
    assert.ok(text.includes('Просмотр карточки пациента'), 'the card views are there');
    assert.ok(text.includes(REGISTRAR.fullName), 'the member by name');
    assert.match(text, /IP: 127\.0\.0\.1/, 'and from where');
    await checkA11y(regPage, 'the audit log of a patient');

    await regPage.locator('#action').selectOption('staff.auditor_grant');
    await regPage.locator('#patient').fill('');
    await press(regPage, 'Показать');
    const granted = await regPage.locator('ol.audit').innerText();
    assert.ok(granted.includes('Назначен аудитор'), 'the grant itself is in the log');
    assert.ok(!granted.includes('Просмотр карточки пациента'), 'filtered by the action');

    await regPage.setViewportSize({ width: 390, height: 844 });
    const wide = await regPage.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the log fits a phone (${wide} px)`);
    await checkA11y(regPage, 'the audit log on a phone');
    await regPage.setViewportSize({ width: 1280, height: 900 });
  });
});
