import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../tests/support/seeded-random.js';
import { SAME_AS_LAST_YEAR, sameAsLastYearFindings, type LastYearSection } from './same-as-last-year.js';

// Rule D1 (内容雷同): a part of this year's report that is mostly last year's text is a warning
// until it is rewritten for this year.

const LAST_YEAR =
  '本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，主动公开财政预决算、政府采购、' +
  '重大项目建设和公共资源配置等领域信息，依法依规办理政府信息公开申请，切实保障人民群众的知情权、参与权和监督权。';
const REWRITTEN =
  '今年我们把重点放在惠企政策的集中发布上，新建了政策文件库，开设了解读专栏，并在十二个街道设立了查阅点，' +
  '群众可以在家门口查到与自己相关的补贴、审批和办事指南，全年接待现场查阅一千余人次，收到意见建议四十多条。';

const lastYear: LastYearSection[] = [{ sectionId: 'overview', title: '一、总体情况', text: LAST_YEAR }];
const sections = [{ sectionId: 'overview', title: '一、总体情况' }];
const findingsFor = (text: string, of = sections, before: readonly LastYearSection[] = lastYear) =>
  sameAsLastYearFindings(text.split('\n').map((block) => ({ sectionId: of[0]!.sectionId, text: block })), of, before);

describe('rule D1: a part still written as last year', () => {
  it('marks a part copied from last year with the share copied', () => {
    expect(findingsFor(LAST_YEAR)).toMatchObject([{ rule: 'D1', sectionId: 'overview', actual: 100 }]);
  });

  it('passes a part rewritten for this year', () => {
    expect(findingsFor(REWRITTEN)).toEqual([]);
  });

  it('passes a part where last year\'s text is only half of what is written', () => {
    expect(findingsFor(`${LAST_YEAR}\n${REWRITTEN}`)).toEqual([]);
  });

  it('marks a part with a sentence added to last year\'s text, saying how much is last year\'s', () => {
    const [found] = findingsFor(`${LAST_YEAR}\n全年共收到申请十二件。`);
    expect(found!.actual).toBeGreaterThanOrEqual(SAME_AS_LAST_YEAR * 100);
    expect(found!.actual).toBeLessThan(100);
  });

  it('reads past spacing, line breaks and full-width letters and digits', () => {
    expect(findingsFor(LAST_YEAR.replace(/，/g, '，\n').replace(/(.)/g, '$1 '))).toMatchObject([{ actual: 100 }]);
    const withFigures = [{ ...lastYear[0]!, text: LAST_YEAR.replace(/、/g, '、2024年GDP、') }];
    expect(findingsFor(LAST_YEAR.replace(/、/g, '、２０２４年ＧＤＰ、'), sections, withFigures)).toMatchObject([{ actual: 100 }]);
  });

  it('finds last year\'s part by its title when the section was made anew', () => {
    const renamed = [{ sectionId: 'overview-2025', title: '一、 总体情况' }];
    expect(findingsFor(LAST_YEAR, renamed)).toMatchObject([{ sectionId: 'overview-2025', actual: 100 }]);
  });

  it('leaves short parts alone: "无。" is rightly the same every year', () => {
    const short = '本年度无此类情况。';
    expect(findingsFor(short, sections, [{ ...lastYear[0]!, text: short }])).toEqual([]);
  });

  it('says nothing of a part last year did not have', () => {
    expect(findingsFor(LAST_YEAR, [{ sectionId: 'new-part', title: '七、其他需要报告的事项' }])).toEqual([]);
  });

  it('counts the share of last year\'s runs of five characters exactly, on long texts too', () => {
    const random = seededRandom(7);
    const characters = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经';
    const write = (length: number) => Array.from({ length }, () => characters[Math.floor(random() * characters.length)]).join('');
    // What the share is, counted with the runs themselves.
    const runs = (text: string) => new Set(Array.from({ length: text.length - 4 }, (_, index) => text.slice(index, index + 5)));
    const exactPercent = (text: string, before: string) => {
      const mine = runs(text);
      const theirs = runs(before);
      return Math.round(([...mine].filter((run) => theirs.has(run)).length / mine.size) * 100);
    };
    for (const kept of [0.85, 0.9, 0.95]) {
      const before = write(60_000);
      const text = before.slice(0, 60_000 * kept) + write(60_000 * (1 - kept));
      const [found] = findingsFor(text, sections, [{ ...lastYear[0]!, text: before }]);
      expect(found!.actual).toBe(exactPercent(text, before));
    }
  });

  it('gives the same share however often it is asked', () => {
    const first = findingsFor(`${LAST_YEAR}\n全年共收到申请十二件。`);
    expect(findingsFor(`${LAST_YEAR}\n全年共收到申请十二件。`)).toEqual(first);
  });
});
