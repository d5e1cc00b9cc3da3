// The demo offer catalog: every lifecycle stage has at least one offer, and every offer kind
// and objection kind appears. Scripts use the placeholders of shared/domain/script-template.ts.
import type { Offer } from '../../shared/contract/entities';

const VALID_FROM = '2026-01-01';

export const DEMO_OFFERS: readonly Offer[] = [
  {
    id: 'OFF-ACQ-NEWLINE',
    version: 1,
    kind: 'acquisition',
    name: { zh: '新入网5G体验卡', en: '5G starter SIM' },
    stages: ['prospect'],
    valueYuan: 600,
    costYuan: 60,
    validFrom: VALID_FROM,
    validTo: null,
    script: {
      opening: {
        zh: '您好，感谢您来电！看到您还不是我们的用户，想给您介绍一下{offerName}。',
        en: 'Hello and thanks for calling! You are not with us yet, so let me tell you about our {offerName}.',
      },
      pitch: {
        zh: '{offerName}前三个月每月只需19元，含30GB 5G流量，号码可以直接携号转网过来。',
        en: 'The {offerName} costs only 19 yuan a month for the first three months with 30 GB of 5G data, and you can keep your number.',
      },
      objections: [
        { kind: 'competitor', answer: { zh: '携号转网全程由我们办理，号码不变，联系人也不受影响。', en: 'We handle the number porting for you; your number and contacts stay the same.' } },
        { kind: 'not_interested', answer: { zh: '没关系，我把资费说明发到您手机上，您方便时再看看。', en: 'No problem, I will text you the details so you can look at them when convenient.' } },
      ],
    },
  },
  {
    id: 'OFF-A-WELCOME-DATA',
    version: 1,
    kind: 'care',
    name: { zh: '新用户首月流量礼包', en: 'Welcome data pack' },
    stages: ['A'],
    valueYuan: 150,
    costYuan: 10,
    validFrom: VALID_FROM,
    validTo: null,
    script: {
      opening: { zh: '{name}您好，欢迎加入！您办理{planName}已经{tenureMonths}个月了。', en: 'Hello {name}, welcome aboard! You have been on {planName} for {tenureMonths} months.' },
      pitch: {
        zh: '为了让您用得更顺手，我们免费送您{offerName}：10GB流量，本月有效，无需任何费用。',
        en: 'To help you settle in we are giving you the {offerName}: 10 GB free this month, no charge at all.',
      },
      objections: [
        { kind: 'price', answer: { zh: '这个礼包完全免费，到期自动失效，不会产生任何费用。', en: 'The pack is completely free and simply expires; there is no charge.' } },
        { kind: 'network', answer: { zh: '如果您那边信号不好，我马上为您登记网络优化工单。', en: 'If the signal is weak where you are, I will log a network ticket right away.' } },
      ],
    },
  },
  {
    id: 'OFF-B-5G-UPGRADE',
    version: 1,
    kind: 'upsell',
    name: { zh: '5G畅享升档优惠', en: '5G plan upgrade' },
    stages: ['B'],
    valueYuan: 480,
    costYuan: 40,
    validFrom: VALID_FROM,
    validTo: null,
    script: {
      opening: { zh: '{name}您好，看到您最近流量用得越来越多，{planName}可能不太够用了。', en: 'Hello {name}, your data use has been growing and {planName} may be getting tight.' },
      pitch: {
        zh: '现在办理{offerName}，月费只比现在的{monthlyFee}元多20元，流量翻倍，前6个月再减10元。',
        en: 'With the {offerName} you pay only 20 yuan more than your {monthlyFee} yuan today, get double the data, and 10 yuan off for 6 months.',
      },
      objections: [
        { kind: 'price', answer: { zh: '按您现在的用量，超出部分的流量费其实比升档差价更高。', en: 'At your current usage, overage charges already cost more than the upgrade difference.' } },
        { kind: 'not_interested', answer: { zh: '好的，我给您设置流量提醒，快用完时短信通知您。', en: 'All right, I will set a usage alert so you get a text before you run out.' } },
      ],
    },
  },
  {
    id: 'OFF-BC-FAMILY-BROADBAND',
    version: 1,
    kind: 'crosssell',
    name: { zh: '家庭宽带融合套餐', en: 'Home broadband bundle' },
    stages: ['B', 'C'],
    valueYuan: 900,
    costYuan: 120,
    validFrom: VALID_FROM,
    validTo: '2027-12-31',
    script: {
      opening: { zh: '{name}您好，您是我们{tenureMonths}个月的老朋友了，想跟您介绍一个家庭优惠。', en: 'Hello {name}, you have been with us for {tenureMonths} months; there is a household offer I would like to share.' },
      pitch: {
        zh: '{offerName}：在{planName}基础上每月加30元，送千兆宽带和两张家庭副卡，全家共享流量。',
        en: '{offerName}: add 30 yuan a month to {planName} for gigabit broadband and two family SIMs sharing your data.',
      },
      objections: [
        { kind: 'competitor', answer: { zh: '如果您家里已有其他宽带，合约到期后我们可以免费上门安装，不收初装费。', en: 'If you already have broadband elsewhere, we install free of charge once that contract ends.' } },
        { kind: 'price', answer: { zh: '算下来比单独办宽带每月省50元左右。', en: 'That works out about 50 yuan a month cheaper than broadband on its own.' } },
        { kind: 'service', answer: { zh: '宽带装机和维修都是48小时内上门，有问题随时打10000号。', en: 'Installation and repairs happen within 48 hours, and 10000 is always there if anything goes wrong.' } },
      ],
    },
  },
  {
    id: 'OFF-C-LOYALTY-DEVICE',
    version: 1,
    kind: 'upsell',
    name: { zh: '老客户购机直降', en: 'Loyalty phone upgrade' },
    stages: ['C'],
    valueYuan: 1200,
    costYuan: 300,
    validFrom: VALID_FROM,
    validTo: null,
    script: {
      opening: { zh: '{name}您好，感谢您使用{planName}已经{tenureMonths}个月，您有一份老客户专属权益。', en: 'Hello {name}, thank you for {tenureMonths} months on {planName}; you have a loyalty benefit waiting.' },
      pitch: {
        zh: '{offerName}：续约24个月即可以直降800元购买新款5G手机，月费保持{monthlyFee}元不变。',
        en: '{offerName}: renew for 24 months and get 800 yuan off a new 5G phone, with your {monthlyFee} yuan monthly fee unchanged.',
      },
      objections: [
        { kind: 'price', answer: { zh: '月费不变，只是合约延长，相当于每月省下30多元购机款。', en: 'Your fee stays the same; the longer term saves you over 30 yuan a month on the phone.' } },
        { kind: 'not_interested', answer: { zh: '明白，这个权益本月底前都有效，您考虑好随时联系我们。', en: 'Understood; the benefit stays open until the end of the month if you change your mind.' } },
      ],
    },
  },
  {
    id: 'OFF-CD-CONTRACT-RENEWAL',
    version: 1,
    kind: 'retention',
    name: { zh: '续约送话费', en: 'Renewal credit' },
    stages: ['C', 'D'],
    valueYuan: 700,
    costYuan: 120,
    validFrom: VALID_FROM,
    validTo: null,
    script: {
      opening: { zh: '{name}您好，您的合约快到期了，我们为您准备了续约礼遇。', en: 'Hello {name}, your contract is ending soon and we have a renewal reward for you.' },
      pitch: {
        zh: '现在续约12个月，{offerName}：预存100元送240元话费，分12个月返还，{planName}权益全部保留。',
        en: 'Renew for 12 months with the {offerName}: prepay 100 yuan and get 240 yuan credit over 12 months, keeping everything in {planName}.',
      },
      objections: [
        { kind: 'competitor', answer: { zh: '对比其他运营商，加上返还话费后您每月实际只花{monthlyFee}元减20元。', en: 'With the credit you effectively pay 20 yuan less than {monthlyFee} yuan a month, which beats the competition.' } },
        { kind: 'price', answer: { zh: '预存的钱全部返还到您的账户，一分不少。', en: 'Every yuan you prepay comes back to your account.' } },
      ],
    },
  },
  {
    id: 'OFF-D-RETENTION-DISCOUNT',
    version: 1,
    kind: 'retention',
    name: { zh: '挽留专享月费八折', en: 'Loyalty 20% discount' },
    stages: ['D'],
    valueYuan: 1100,
    costYuan: 240,
    validFrom: VALID_FROM,
    validTo: null,
    script: {
      opening: { zh: '{name}您好，您是我们{tenureMonths}个月的老用户，我们非常重视您的使用体验。', en: 'Hello {name}, you have been with us for {tenureMonths} months and your experience matters to us.' },
      pitch: {
        zh: '为了感谢您，我们为您申请了{offerName}：未来12个月{planName}月费打八折，每月只需{monthlyFee}元的80%。',
        en: 'As a thank-you we arranged the {offerName}: 20% off {planName} for 12 months, so you pay 80% of {monthlyFee} yuan.',
      },
      objections: [
        { kind: 'competitor', answer: { zh: '打折后价格已经低于同档次的竞品套餐，而且您的号码和积分都保留。', en: 'After the discount we are below comparable competitor plans, and you keep your number and points.' } },
        { kind: 'service', answer: { zh: '之前给您带来的不便非常抱歉，我会把您的问题升级给专人跟进。', en: 'I am sorry for the trouble you had; I will escalate your case to a dedicated specialist.' } },
        { kind: 'not_interested', answer: { zh: '尊重您的决定，优惠为您保留30天，期间随时可以办理。', en: 'I respect that; the discount stays reserved for you for 30 days.' } },
      ],
    },
  },
  {
    id: 'OFF-D-NETWORK-CARE',
    version: 1,
    kind: 'care',
    name: { zh: '网络关怀补偿', en: 'Network care credit' },
    stages: ['D'],
    valueYuan: 400,
    costYuan: 30,
    validFrom: VALID_FROM,
    validTo: null,
    script: {
      opening: { zh: '{name}您好，我们注意到您最近遇到了网络问题，先向您道歉。', en: 'Hello {name}, we noticed you have had network problems recently, and we apologise.' },
      pitch: {
        zh: '我已为您登记优先网络优化，并送您{offerName}：30元话费加5GB流量，今天到账。',
        en: 'I have booked a priority network fix and added the {offerName}: 30 yuan credit plus 5 GB of data, available today.',
      },
      objections: [
        { kind: 'network', answer: { zh: '工程师会在72小时内到您常用的位置测试信号，并回电告诉您结果。', en: 'An engineer will test the signal where you use your phone within 72 hours and call you back with the result.' } },
        { kind: 'service', answer: { zh: '这次的工单我会亲自跟进，您可以随时用工单号查询进度。', en: 'I will follow the ticket myself, and you can check progress any time with the ticket number.' } },
      ],
    },
  },
  {
    id: 'OFF-E-WINBACK',
    version: 1,
    kind: 'winback',
    name: { zh: '老用户回归礼', en: 'Welcome-back offer' },
    stages: ['E'],
    valueYuan: 800,
    costYuan: 150,
    validFrom: VALID_FROM,
    validTo: null,
    script: {
      opening: { zh: '{name}您好，好久不见！您之前使用过我们的{planName}。', en: 'Hello {name}, it has been a while! You used to be on our {planName}.' },
      pitch: {
        zh: '现在回归可享{offerName}：原号码可恢复，前6个月月费半价，并送20GB流量。',
        en: 'Come back with the {offerName}: restore your old number, pay half price for 6 months, and get 20 GB of data.',
      },
      objections: [
        { kind: 'competitor', answer: { zh: '您可以先用我们的副卡体验一个月网络，满意再转回来。', en: 'Try our network on a free second SIM for a month first, and switch back only if you are happy.' } },
        { kind: 'network', answer: { zh: '您所在区域今年新建了5G基站，信号比之前好很多。', en: 'New 5G sites went live in your area this year; coverage is much better than before.' } },
        { kind: 'not_interested', answer: { zh: '好的，打扰您了，祝您生活愉快。', en: 'Of course, sorry to bother you, and have a good day.' } },
      ],
    },
  },
];
