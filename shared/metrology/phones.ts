/**
 * Reference masses for the "phone as a weight" check (手机变砝码), from the makers' published specifications. A phone
 * weighed and labelled on a verified scale (at a market's 公平秤 or a bureau's verification station) is better:
 * cases, screen protectors and wear change the mass, so the form always lets the consumer type the weighed mass.
 */
export const referencePhones = [
  { model: 'Apple iPhone 15', massG: 171 },
  { model: 'Apple iPhone 15 Pro', massG: 187 },
  { model: 'Apple iPhone 16', massG: 170 },
  { model: 'Apple iPhone 16 Pro', massG: 199 },
  { model: 'Huawei Mate 60', massG: 209 },
  { model: 'Huawei Mate 60 Pro', massG: 225 },
  { model: 'Huawei nova 12', massG: 168 },
  { model: 'Huawei Pura 70', massG: 207 },
  { model: 'Xiaomi 14', massG: 193 },
  { model: 'Xiaomi Redmi Note 13', massG: 174.5 },
  { model: 'OPPO Reno11', massG: 184 },
  { model: 'vivo X100', massG: 206 },
  { model: 'Honor Magic6', massG: 199 },
] as const;
