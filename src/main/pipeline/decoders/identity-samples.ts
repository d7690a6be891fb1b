// One well-formed code of every identity-only format, for the tests, the CLI's tests and the
// fuzz suite. Real-looking people (the ids are structurally valid, the persons invented).
import { encodeCccdQr } from '../../../common/formats/cccd/cccd-qr.js';
import { encodeMrz } from '../../../common/formats/mrz/mrz-encode.js';
import { encodePccovidV1Qr } from '../../../common/formats/pccovid-v1/pccovid-v1-qr.js';
import { encodeVhdQr, mod3736CheckCharacter } from '../../../common/formats/vhd/vhd-qr.js';

/** Trần Thị Bích Ngọc, born 12 April 1990 in Hồ Chí Minh City (079), female (century digit 1). */
export const NGOC_CITIZEN_ID = '079190001234';
export const NGOC_QID = 'QRQG7F3K2M9A';
export const NGOC_VHD_CODE = `HN7K2M9QA${mod3736CheckCharacter('HN7K2M9QA')}`;

export const SAMPLE_CCCD = encodeCccdQr({
  citizenId: NGOC_CITIZEN_ID,
  formerNumber: '025123456',
  name: 'Trần Thị Bích Ngọc',
  dateOfBirth: '1990-04-12',
  sex: 'F',
  address: '12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh',
  issueDate: '2021-07-10',
});

/** The default, masked personal QR: no citizen id in it, so only the QID names the person. */
export const SAMPLE_PCCOVID_V1_MASKED = encodePccovidV1Qr({
  documentNumber: '******001234',
  name: 'TRAN THI BICH NGOC',
  dateOfBirth: '1990',
  declaredOnBehalf: false,
  qid: NGOC_QID,
  sex: 'F',
});

export const SAMPLE_PCCOVID_V1_FULL = encodePccovidV1Qr({
  documentNumber: NGOC_CITIZEN_ID,
  name: 'TRAN THI BICH NGOC',
  dateOfBirth: '1990-04-12',
  declaredOnBehalf: false,
  qid: NGOC_QID,
  sex: 'F',
});

/** Declared without any id number: the personal code is all the old app knew. */
export const SAMPLE_VHD = encodeVhdQr({
  personalCode: NGOC_VHD_CODE,
  idNumber: '',
  name: 'Trần Thị Bích Ngọc',
  dateOfBirth: '1990-04-12',
  sex: 'F',
  lastDeclared: '2021-09-15',
});

/** A German passport (TD3), lines as a document reader sends them. */
export const SAMPLE_TD3 = encodeMrz('TD3', {
  documentCode: 'P',
  issuingState: 'D',
  documentNumber: 'C01X00T47',
  nationality: 'D',
  surname: 'MUSTERMANN',
  givenNames: 'ERIKA',
  birthDate: '830812',
  sex: 'F',
  expiryDate: '310101',
  optional: '',
}).join('\r\n');

/** A Vietnamese chip CCCD's MRZ (TD1): the citizen id in line 1's optional data. */
export const SAMPLE_TD1_VN = encodeMrz('TD1', {
  documentCode: 'ID',
  issuingState: 'VNM',
  documentNumber: NGOC_CITIZEN_ID.slice(3),
  nationality: 'VNM',
  surname: 'TRAN',
  givenNames: 'THI BICH NGOC',
  birthDate: '900412',
  sex: 'F',
  expiryDate: '300412',
  optional: NGOC_CITIZEN_ID,
}).join('\r\n');

/** A Schengen-style visa (MRV-B). */
export const SAMPLE_MRV_B = encodeMrz('MRV-B', {
  documentCode: 'V',
  issuingState: 'FRA',
  documentNumber: '12345678',
  nationality: 'VNM',
  surname: 'NGUYEN',
  givenNames: 'VAN AN',
  birthDate: '880101',
  sex: 'M',
  expiryDate: '270101',
}).join('\r\n');
