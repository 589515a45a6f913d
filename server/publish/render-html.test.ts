import { describe, expect, it } from 'vitest';
import { demoPage, format, pageOf } from './pages.fixture.js';

describe('the published page', () => {
  const html = demoPage();

  it('is a Chinese document with the report title and the six parts as headings', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(html).toContain('<h1>示范区人民政府2025年政府信息公开工作年度报告</h1>');
    for (const title of format.sections.map((section) => section.title)) expect(html).toContain(`<h2>${title}</h2>`);
    expect(html).toContain('<h3>（一）财政资金信息公开</h3>');
  });

  it('prints table B in the national layout with real header cells and every one of its 175 numbers', () => {
    const tableB = /<table class="annex annex-B" id="annex-B">.*?<\/table>/s.exec(html)![0];
    expect(tableB).toContain('<caption>附表B 收到和处理政府信息公开申请情况</caption>');
    expect(tableB.match(/<td class="number"/g)).toHaveLength(175);
    expect(tableB).toContain('<th scope="colgroup" colspan="7">申请人情况</th>');
    expect(tableB).toContain('<th scope="colgroup" colspan="5">法人或其他组织</th>');
    expect(tableB).toContain('<th scope="col" rowspan="2">自然人</th>');
    expect(tableB).toContain('<th scope="row">一、本年新收政府信息公开申请数量</th><td class="number">96</td>');
    expect(tableB).toContain('<th scope="row">（七）总计</th><td class="number">97</td>');
    // Its column headers repeat on every page the table continues on; its rows are the body.
    expect(/<thead>(.*?)<\/thead>/s.exec(tableB)![1]).toContain('申请人情况');
    expect(/<tbody>(.*?)<\/tbody>/s.exec(tableB)![1]).not.toContain('scope="col"');
  });

  it('prints linked figures as their table values and percentages', () => {
    expect(html).toContain('全年共新收政府信息公开申请<span class="figure">124</span>件');
    expect(html).toContain('占<span class="figure">55.2%</span>');
  });

  it('shows text that looks like markup as text, and keeps only web and mail links', () => {
    const page = pageOf([
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: '<script>alert(1)</script>' },
          { type: 'text', text: '坏链接', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
          { type: 'text', text: '门户网站', marks: [{ type: 'link', attrs: { href: 'https://www.gov.cn/?a=1&b="2"' } }] },
          { type: 'text', text: '邮箱', marks: [{ type: 'link', attrs: { href: 'mailto:gk@example.gov.cn' } }] },
        ],
      },
    ]);
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('javascript:');
    expect(page).toContain('坏链接');
    expect(page).toContain('<a href="https://www.gov.cn/?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer">门户网站</a>');
    expect(page).toContain('<a href="mailto:gk@example.gov.cn" rel="noopener noreferrer">邮箱</a>');
  });

  it('prints a linked figure whose cell is not filled as a dash, never as zero', () => {
    const page = pageOf([{ type: 'paragraph', content: [{ type: 'text', text: '共' }, { type: 'annexFigure', attrs: { cell: 'B/new:total', of: null, decimals: 1 } }, { type: 'text', text: '件' }] }]);
    expect(page).toContain('共<span class="figure">—</span>件');
  });

  it('keeps a section’s sub-headings below its title', () => {
    const page = pageOf([{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: '（一）小标题' }] }]);
    expect(page).toContain('<h3>（一）小标题</h3>');
  });
});
