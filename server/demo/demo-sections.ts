// Demo content for the seeded demo report of the fictional district 示范区 (2025, 2021 national format).
// The narrative is adapted and lightly rewritten from the real report texts in shared/domain/examples.
// Figures that restate the tables are linked figures, so the text cannot contradict the demo tables.

/** Who writes a section in the demo district. */
export type DemoDepartment = 'lead' | 'finance' | 'food' | 'env';

/**
 * A block of section content: a paragraph (where "{B/new:total}" is a linked figure), a sub-heading
 * (level 3), a bullet list, or an annex table.
 */
export type DemoBlock = { paragraph: string } | { heading: string } | { bullets: string[] } | { table: string };

export interface DemoSection {
  sectionId: string;
  title: string;
  level: 1 | 2;
  department: DemoDepartment;
  blocks: DemoBlock[];
}

export const demoReportTitle: string = '示范区人民政府2025年政府信息公开工作年度报告';

export const demoReportYear: number = 2025;

export const demoSections: readonly DemoSection[] = [
  {
    sectionId: 'overview',
    title: '一、总体情况',
    level: 1,
    department: 'lead',
    blocks: [
      {
        paragraph:
          '2025年，示范区人民政府深入贯彻落实《中华人民共和国政府信息公开条例》，按照国家和省、市政务公开工作要点部署，紧紧围绕区委、区政府中心工作，坚持“公开为常态、不公开为例外”，扎实推进决策、执行、管理、服务、结果“五公开”，着力深化财政资金、食品药品安全、生态环境等重点领域信息公开，充分保障人民群众的知情权、参与权、表达权和监督权。',
      },
      {
        paragraph:
          '本年度，全区主动公开政府信息数量稳中有升，政策文件与解读材料同步发布，行政许可、行政处罚等执法结果信息做到应公开尽公开。依申请公开工作严格执行受理、审查、处理、答复和归档各环节规定，依法依规在法定期限内答复申请人。因政府信息公开引发的行政复议、行政诉讼案件均依法妥善应对。各领域具体情况报告如下。',
      },
    ],
  },
  {
    sectionId: 'overview-finance',
    title: '（一）财政资金信息公开',
    level: 2,
    department: 'finance',
    blocks: [
      {
        paragraph:
          '区财政局牵头推进财政预决算信息公开，在区政府门户网站“预决算公开”专栏集中发布区级政府预决算和部门预决算，对公开内容分级分类展示，方便公众查阅和监督。全区负责编制部门预决算的单位均按规定时限完成公开，并细化公开部门收支总体情况、财政拨款收支情况和机关运行经费安排等内容。',
      },
      {
        paragraph:
          '严格落实“三公”经费公开要求，随部门预决算同步公开因公出国（境）费、公务用车购置及运行费、公务接待费的预算安排和执行情况，并对增减变化原因作出说明。同步公开会议费、培训费预决算以及政府采购和国有资产占用情况，主动接受社会监督。',
      },
      {
        paragraph:
          '加强财政专项资金和惠民惠农补贴资金信息公开，对产业扶持、社会救助、就业创业等专项资金的管理办法、分配结果和绩效评价情况及时予以公开，重点做好以下几个方面工作：',
      },
      {
        bullets: [
          '按月公开全区一般公共预算收支执行情况，按季度发布主要经济指标完成情况。',
          '公开政府债务限额、余额以及债券资金使用和偿还情况。',
          '公开政府采购项目公告、采购文件、预算金额、采购结果和采购合同，实现采购项目全过程公开。',
          '公开惠民惠农财政补贴资金的政策依据、补贴对象和发放标准。',
        ],
      },
    ],
  },
  {
    sectionId: 'overview-food',
    title: '（二）食品药品安全信息公开',
    level: 2,
    department: 'food',
    blocks: [
      {
        paragraph:
          '区市场监管局围绕食品药品安全信息公开，结合行政许可、行政处罚“双公示”要求，在区政府门户网站重点领域信息公开专栏设立食品药品安全专题，及时发布工作动态、行政许可、行政处罚、抽检抽验通报和风险警示等信息，不断拓宽食品药品监管信息公开渠道。',
      },
      {
        paragraph:
          '全年组织开展食品安全监督抽检，覆盖农贸市场、大中型超市、餐饮服务单位和学校（幼儿园）食堂，抽检结果按季度在门户网站集中公布，对不合格产品及时公开核查处置情况。同步开展药品、医疗器械和化妆品质量抽检，依法公开不合格产品信息和企业整改情况。',
      },
      {
        paragraph:
          '加强春节、“五一”等重要节点和春秋季开学期间专项检查的信息公开，及时发布专项整治工作动态和消费提示。定期公开食品生产经营企业信用“红黑榜”，推进日常监管公开化、透明化，引导公众科学消费、理性维权。',
      },
    ],
  },
  {
    sectionId: 'overview-env',
    title: '（三）生态环境信息公开',
    level: 2,
    department: 'env',
    blocks: [
      {
        paragraph:
          '区生态环境局定时在区政府门户网站更新空气环境质量信息，细化公开空气质量指数、空气质量级别、首要污染物以及对人体健康的影响和建议措施等内容，重污染天气预警信息第一时间通过门户网站和政务新媒体同步发布。',
      },
      {
        paragraph:
          '每月公开集中式饮用水水源地水质监测信息，按季度发布全区地表水考核断面水质状况。督促重点排污单位依法公开主要污染物名称、排放方式、排放浓度和总量、超标排放情况以及污染防治设施建设和运行情况。',
      },
      {
        paragraph:
          '依法做好建设项目环境影响评价信息公开，及时公示环境影响评价文件受理情况、拟审批意见和审批结果，保障公众参与环境决策的权利。全面公开生态环境行政处罚信息，定期发布河长制工作动态，公布监督举报电话，强化公众监督。',
      },
    ],
  },
  {
    sectionId: 'overview-platform',
    title: '（四）平台建设与监督保障',
    level: 2,
    department: 'lead',
    blocks: [
      {
        paragraph:
          '加强政府门户网站建设，发挥其政府信息公开第一平台作用，持续优化政府信息公开专栏和政策文件库，提供政策文件全文检索和下载功能。规范政务新媒体管理，统筹运用政务微信公众号、政务微博等平台发布权威信息，坚决杜绝“僵尸网站”“睡眠栏目”。',
      },
      {
        paragraph:
          '强化监督保障，将政务公开工作纳入全区年度绩效考核，定期开展门户网站和政务新媒体检查并通报结果。组织各部门、各街道政务公开工作人员开展《中华人民共和国政府信息公开条例》专题培训，提升依法公开、规范答复的能力。本年度未发生因政务公开工作不到位被责任追究的情况。',
      },
    ],
  },
  {
    sectionId: 'proactive',
    title: '二、主动公开政府信息情况',
    level: 1,
    department: 'lead',
    blocks: [
      {
        paragraph:
          '本年度，示范区依据《中华人民共和国政府信息公开条例》第二十条规定，通过政府门户网站、政务新媒体等渠道主动公开政府信息，行政规范性文件制发和废止情况，以及行政许可、行政处罚、行政强制、行政事业性收费情况见下表。',
      },
      { table: 'A' },
    ],
  },
  {
    sectionId: 'requests',
    title: '三、收到和处理政府信息公开申请情况',
    level: 1,
    department: 'lead',
    blocks: [
      {
        paragraph:
          '本年度，示范区严格按照《中华人民共和国政府信息公开条例》规定的程序和时限受理、办理政府信息公开申请，对疑难复杂申请开展部门会商，收到和处理政府信息公开申请情况见下表。',
      },
      {
        paragraph:
          '全年共新收政府信息公开申请{B/new:total}件，其中自然人申请{B/new:natural}件；上年结转{B/carried:total}件。本年度办结{B/total:total}件，其中予以公开{B/granted:total}件，占{B/granted:total÷B/total:total}；结转下年度继续办理{B/forward:total}件。',
      },
      { table: 'B' },
    ],
  },
  {
    sectionId: 'reviews',
    title: '四、政府信息公开行政复议、行政诉讼情况',
    level: 1,
    department: 'lead',
    blocks: [
      {
        paragraph:
          '本年度，对因政府信息公开工作引发的行政复议、行政诉讼案件，示范区各相关行政机关均依法积极应对，认真落实复议决定和裁判结果，政府信息公开行政复议、行政诉讼情况见下表。',
      },
      { table: 'C' },
    ],
  },
  {
    sectionId: 'problems',
    title: '五、存在的主要问题及改进情况',
    level: 1,
    department: 'lead',
    blocks: [
      { heading: '（一）存在的主要问题' },
      {
        paragraph:
          '对照《中华人民共和国政府信息公开条例》和上级工作要求，全区政府信息公开工作仍存在一些不足：一是部分部门对政务公开的重视程度不够，重点领域信息更新不够及时；二是政策解读形式较为单一，图解、视频等多样化解读运用不多；三是部分工作人员业务能力与工作要求还有差距，依申请公开答复的规范性有待提升。',
      },
      { heading: '（二）改进措施' },
      {
        bullets: [
          '针对上年度报告指出的部分栏目更新滞后问题，已对门户网站栏目进行全面梳理，合并或关停长期不更新的栏目，并建立栏目更新提醒机制。',
          '加强统筹协调，建立重点领域信息公开任务清单，明确责任部门和公开时限，定期开展检查通报，确保信息及时、准确、完整公开。',
          '提升政策解读质量，坚持政策文件与解读材料同步组织、同步审签、同步发布，更多运用图表图解、音频视频等形式开展解读。',
          '规范依申请公开办理，完善受理、登记、审查、答复、归档全流程管理，发挥法律顾问审核把关作用，提高答复文书质量。',
          '加强队伍建设，制定年度专项培训计划，分层分类开展业务培训，提升工作人员依法公开、规范答复的能力。',
        ],
      },
    ],
  },
  {
    sectionId: 'other',
    title: '六、其他需要报告的事项',
    level: 1,
    department: 'lead',
    blocks: [
      {
        paragraph:
          '本年度，示范区各行政机关依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定办理政府信息公开申请，对申请数量、频次明显超过合理范围的情形加强沟通引导，全年均未向申请人收取信息处理费。',
      },
      {
        paragraph:
          '认真做好人大代表建议和政协委员提案办理结果公开工作，对涉及公共利益、社会关注度高的建议提案办理复文，除依法不予公开的情形外，均在区政府门户网站“建议提案办理”专栏全文公开，并同步公开年度办理工作总体情况，主动接受社会监督。',
      },
    ],
  },
];
