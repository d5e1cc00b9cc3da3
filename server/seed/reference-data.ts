// Vocabulary of the synthetic demo book: names, ID regions, plans and phone prefixes.
import type { LocalizedText } from '../../shared/contract/entities';

export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
] as const;

export const GIVEN_NAME_CHARACTERS = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平',
  '刚', '桂', '英', '华', '玉', '萍', '红', '鹏', '辉', '建', '文', '斌', '宇', '浩', '凯', '婷', '雪', '琳', '晨', '欣',
  '佳', '梓', '子', '睿', '博', '思', '雨', '嘉', '晓', '俊', '倩', '颖', '志', '海', '峰', '波', '慧', '燕', '蕾', '琦',
] as const;

/** Six-digit administrative division codes (district level) used at the start of ID numbers. */
export const ID_REGION_CODES = ['110101', '110105', '310101', '310115', '440103', '440305', '330106', '320102', '510104', '420102', '500103', '610113'] as const;

export interface DemoPlan {
  code: string;
  name: LocalizedText;
  monthlyFee: number;
  /** Monthly data allowance in GB; usage is drawn around it. */
  dataGb: number;
  voiceMinutes: number;
  /** Relative share of the book on this plan. */
  weight: number;
}

export const DEMO_PLANS: readonly DemoPlan[] = [
  { code: 'BASIC19', name: { zh: '基础卡19元', en: 'Basic 19' }, monthlyFee: 19, dataGb: 5, voiceMinutes: 100, weight: 12 },
  { code: 'SMART39', name: { zh: '畅享39元套餐', en: 'Smart 39' }, monthlyFee: 39, dataGb: 15, voiceMinutes: 200, weight: 20 },
  { code: 'SMART59', name: { zh: '畅享59元套餐', en: 'Smart 59' }, monthlyFee: 59, dataGb: 30, voiceMinutes: 300, weight: 24 },
  { code: '5G99', name: { zh: '5G畅享99元套餐', en: '5G Unlimited 99' }, monthlyFee: 99, dataGb: 60, voiceMinutes: 500, weight: 20 },
  { code: 'FAMILY129', name: { zh: '家庭融合129元', en: 'Family Bundle 129' }, monthlyFee: 129, dataGb: 80, voiceMinutes: 800, weight: 12 },
  { code: '5G199', name: { zh: '5G尊享199元套餐', en: '5G Premium 199' }, monthlyFee: 199, dataGb: 120, voiceMinutes: 1500, weight: 8 },
  { code: 'VIP399', name: { zh: '全球通399元', en: 'Global VIP 399' }, monthlyFee: 399, dataGb: 300, voiceMinutes: 3000, weight: 4 },
];

/** Mobile prefixes the demo book uses (13x-19x). */
export const BOOK_PHONE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157',
  '158', '159', '173', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189', '191',
  '198', '199',
] as const;

/** Prefixes the book never uses, so numbers drawn from them are guaranteed prospects (not in the book). */
export const PROSPECT_PHONE_PREFIXES = ['162', '165', '167', '170', '171'] as const;
