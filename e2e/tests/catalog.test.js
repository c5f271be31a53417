// Honest prices and English on the catalog pages (issue 10, points 4 and 8), on a phone
// (390 px) and a desktop (1280 px), in Russian and in English: the directory's «от» price is
// the lowest consultation's (never an injection's), a specialist's services come by kind under
// headings, consultations first; English pages show specialties, qualifications, branches,
// services, the rules and the privacy policy in English, and whatever has no English version
// (a name, a bio) in Russian marked lang="ru"; the search fields' placeholder examples find
// something. axe-core on every page visited.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { acceptedContext, checkA11y, launch, navigateBy, open } from './helpers.js';

// This file's digit for phones (it books nothing, so none is made with it).
// eslint-disable-next-line no-unused-vars
const FILE = 9;

const TEXT = {
  ru: {
    kinds: [
      'Приёмы и консультации',
      'Процедуры',
      'Диагностика',
      'Анализы',
      'Справки и документы',
      'Комплексные программы',
    ],
    therapy: 'Терапевт',
    // The examples the placeholders give (crates/web/locales/ru/main.ftl).
    examples: { '/specialists': ['невролог', 'Соловьёва'], '/prices': ['УЗИ', 'B01.023'] },
  },
  en: {
    kinds: [
      'Consultations',
      'Procedures',
      'Diagnostics',
      'Laboratory tests',
      'Certificates and records',
      'Complex programs',
    ],
    therapy: 'General practitioner',
    examples: { '/specialists': ['neurologist'], '/prices': ['ultrasound', 'B01.023'] },
  },
};

/** Roubles in a price as shown («2 430 ₽» → 2430). */
function roubles(text) {
  return Number(text.replace(/[^\d]/g, ''));
}

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

for (const lang of ['ru', 'en']) {
  for (const width of [390, 1280]) {
    describe(`the catalog in ${lang} at ${width} px`, () => {
      const t = TEXT[lang];
      let context;
      let page;
      let therapist; // the path of a therapist's page, from the directory

      before(async () => {
        context = await acceptedContext(browser, { viewport: { width, height: 844 } });
        page = await context.newPage();
        await open(page, lang === 'en' ? '/lang/en?next=/' : '/');
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
      });

      after(async () => {
        await context?.close();
      });

      test('the directory\'s «от» price is the lowest consultation, not a procedure', async () => {
        await open(page, '/specialists');
        await page.locator('#specialty').selectOption({ label: t.therapy });
        await navigateBy(page, () => page.locator('form.search button[type="submit"]').click());
        await checkA11y(page, `therapists in the directory (${lang}, ${width} px)`);
        const cards = page.locator('li.card');
        assert.ok((await cards.count()) > 0, 'the directory lists therapists');
        const card = cards.first();
        const from = roubles(await card.locator('.from-price .price strong').innerText());
        therapist = await card.locator('h2 a').getAttribute('href');

        await open(page, therapist);
        const headings = page.locator('section[aria-labelledby="services"] h3');
        assert.equal(await headings.first().innerText(), t.kinds[0], 'consultations first');
        const priceOf = (table) => table.locator('td.num .price strong').allInnerTexts();
        const consultations = (await priceOf(page.locator('table[aria-labelledby="services-consultation"]'))).map(roubles);
        assert.ok(consultations.length > 0, 'the therapist gives consultations');
        assert.equal(from, Math.min(...consultations), 'the card shows the cheapest consultation');
        const all = (await priceOf(page.locator('section[aria-labelledby="services"]'))).map(roubles);
        assert.ok(Math.min(...all) < from, 'a cheaper procedure exists, and the card does not show it');
      });

      test('a specialist\'s services are grouped under headings, consultations first', async () => {
        await open(page, therapist);
        const section = page.locator('section[aria-labelledby="services"]');
        const headings = await section.locator('h3').allInnerTexts();
        const order = headings.map((h) => t.kinds.indexOf(h));
        assert.ok(order.every((i) => i >= 0), `known kinds: ${headings}`);
        assert.deepEqual(order, [...order].sort((a, b) => a - b), `in order: ${headings}`);
        assert.ok(headings.length >= 3, `consultations, procedures and more: ${headings}`);
        for (const id of await section.locator('h3').evaluateAll((hs) => hs.map((h) => h.id))) {
          const rows = section.locator(`table[aria-labelledby="${id}"] tbody tr`);
          assert.ok((await rows.count()) > 0, `the group ${id} has services`);
        }
        await checkA11y(page, `a therapist's page (${lang}, ${width} px)`);
      });

      test('every text in another language than the page\'s is marked with its lang', async () => {
        const pages = ['/specialists', therapist, '/prices', '/', '/rules', '/privacy'];
        for (const path of pages) {
          await open(page, path);
          // Text nodes of the main content in Cyrillic whose nearest lang is not Russian, and
          // elements marked Russian on a Russian page.
          const { unmarked, marked } = await page.evaluate(() => {
            const main = document.querySelector('main');
            const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
            const unmarked = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (/[а-яё]/i.test(node.textContent)) {
                const lang = node.parentElement.closest('[lang]').getAttribute('lang');
                if (lang !== 'ru') unmarked.push(node.textContent.trim().slice(0, 60));
              }
            }
            const marked = main.querySelectorAll('[lang="ru"]').length;
            return { unmarked, marked };
          });
          assert.deepEqual(unmarked, [], `${path}: Russian text not marked lang="ru"`);
          if (lang === 'ru') assert.equal(marked, 0, `${path}: nothing to mark on a Russian page`);
          if (path !== '/specialists' && path !== therapist) {
            await checkA11y(page, `${path} (${lang}, ${width} px)`);
          }
        }
      });

      if (lang === 'en') {
        test('English pages show English specialties, services, branches and documents', async () => {
          await open(page, '/specialists');
          const specialties = await page.locator('li.card .specialties').allInnerTexts();
          assert.ok(specialties.includes('Neurologist'), `English specialties: ${specialties}`);
          const branches = await page.locator('#branch option').allInnerTexts();
          assert.ok(branches.includes('Yasen Clinic at Tikhiye Prudy'), `branches: ${branches}`);
          // A name has no English version: it stays Russian, and says so.
          const name = page.locator('li.card h2 a').first();
          assert.equal(await name.getAttribute('lang'), 'ru');

          await open(page, therapist);
          const services = await page.locator('section[aria-labelledby="services"] td:first-child').allInnerTexts();
          assert.ok(services.some((s) => s.startsWith('Initial visit to a general practitioner')), `${services}`);
          assert.ok(services.some((s) => s.startsWith('Intramuscular injection')), `${services}`);
          const bio = page.locator('.profile p.bio');
          assert.equal(await bio.getAttribute('lang'), 'ru', 'a bio without English is marked Russian');
          assert.match(await bio.innerText(), /[а-яё]/i);
          assert.match(await page.locator('.profile').innerText(), /qualification category/);

          await open(page, '/');
          assert.match(await page.locator('ul.branches').innerText(), /Mon–Fri 8:00–21:00, Sat 9:00–18:00, Sun closed/);

          await open(page, '/rules');
          assert.equal(await page.locator('h1').innerText(), 'Rules of the Patient Portal of Yasen Clinic');
          assert.match(await page.locator('article').innerText(), /The online booking discount cannot be combined/);
          await open(page, '/privacy');
          assert.equal(await page.locator('h1').innerText(), 'Privacy Policy of the Patient Portal');
        });
      }

      test('the search fields\' placeholder examples find something', async () => {
        for (const [path, examples] of Object.entries(t.examples)) {
          for (const example of examples) {
            await open(page, path);
            const field = page.locator('#q');
            const placeholder = await field.getAttribute('placeholder');
            assert.ok(placeholder.includes(example), `«${placeholder}» gives «${example}»`);
            await field.fill(example);
            await navigateBy(page, () => page.locator('form.search button[type="submit"]').click());
            const found = path === '/specialists' ? 'li.card' : 'table.prices tbody tr';
            assert.ok((await page.locator(found).count()) > 0, `«${example}» finds something on ${path}`);
            await checkA11y(page, `${path}?q=${example} (${lang}, ${width} px)`);
          }
        }
      });

      if (lang === 'ru') {
        // Issue 10, point 3: neither case nor «е» for «ё» stops a search.
        test('search forgives case and «е» typed for «ё»', async () => {
          const searches = [
            ['/specialists', 'соловьева', 'li.card', 'Соловьёва Марина Андреевна'],
            ['/specialists', 'СОЛОВЬЕВА марина', 'li.card', 'Соловьёва Марина Андреевна'],
            ['/prices', 'прием невролога', 'table.prices tbody tr',
              'Приём (осмотр, консультация) врача-невролога'],
          ];
          for (const [path, typed, found, expected] of searches) {
            await open(page, path);
            await page.locator('#q').fill(typed);
            await navigateBy(page, () => page.locator('form.search button[type="submit"]').click());
            const texts = await page.locator(found).allInnerTexts();
            assert.ok(texts.some((t) => t.includes(expected)), `«${typed}» finds «${expected}» on ${path}`);
          }
        });
      }
    });
  }
}
