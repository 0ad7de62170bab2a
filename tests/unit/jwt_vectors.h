/* jwt_vectors.h - written by tests/unit/jwt-vectors.py (PyJWT 2.6.0); */
/* do not edit. */
#define VEC_NOW 1700000000
#define VEC_SECRET "georoom-test-secret-0123456789abcdef"
static const char VEC_RSA_PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyn1cF4iM/inEd2CEDgsS\n"
    "SPEEi4/wNrRM5P1Y91PzTRn5Q1BcauamezcI8OYb6T3QuHluAuht4hFuIVj0ZyrN\n"
    "6bJG/XDurRLo8ZtdQeL5v58lwfld8F5tknGr4P7UZvwJyDh4e7iPBzaWcT/WvqNB\n"
    "vKFxJt9a4+QbM/4f79mv1GhK2U02nkgQ8OligQyUVoiG6tfQIhgLoXamic3sGRcy\n"
    "Th6qmnpip8gDyq+lbpe+twfRMHnRlaaY5FIEtNyh7nXK5ZswMwG4+SS2CzB8Sdg1\n"
    "SBLSdKgKw0TbNzgMYQbu9lt/jDvJexM2mlLm6UR2xwV2tAWn+vIeBLqPQI/7WXfw\n"
    "hwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
static const char VEC_RSA1024_PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCyktZ/kJRl31p7pQ4JuG8XSyJz\n"
    "Q4VznoV2wiB/aiG4fvDq7w1KgLiystZXmBTWLP701DrZoXvFTj91ub+RYUhW/MGa\n"
    "fkjrCLD6s/kNzPCtd4Lq1xJraliRbVCeHFd6BgCfEB4dbWgn3CPTqlAY16BE3SXs\n"
    "QBsdSRF7liM67oKkawIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
static const char VEC_EC_PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEjLotGMjzwMw7bq9s+TsTRIvizl27\n"
    "FRBEfjhxQc9nOJvwG55w/A3Zu7rcK08ujZQNDePhkByvGzg9xGrHsw5AwQ==\n"
    "-----END PUBLIC KEY-----\n";
static const char VEC_EC384_PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEmg+H3od2/nwusTAUiu4gti0UgQVJMhBL\n"
    "c/HncMrYSnQHO1Avmx7FkgzXqw/F+iSUDt+p6IMZ9nIS6py5X3h7W4Jsh/Zq8up7\n"
    "ZbTgB30f8g/58uQw6pZHrTwQySqKZ6Oi\n"
    "-----END PUBLIC KEY-----\n";
static const char VEC_HS256[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.kGBqOZS2cQpZ6UEANmMoISzegGA1vd0ehBHepAj-ChQ";
static const char VEC_HS384[] =
    "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9._nOzernCis805NhIxTvIAadNgStVHFvyqNfwDf00wtfaRq4nespfBS98KqbnW2X3";
static const char VEC_HS512[] =
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.Vsk_Ttat1kzPs3LS3aiI7u5H26OY_9xrn7JTM6K0RlRqbgYcevrKtvLuFa60dEIgLIQKKU19O3zbMx_tJCn-HA";
static const char VEC_HS256_OTHER_SECRET[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.DDZp7UeUHayL_q6BrVJCM_AGh5G2Q6rrQJRkMmz040w";
static const char VEC_HS256_EXPIRED[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE2OTk5OTk5NzB9.7jAwCV5MEbON_m_T66PAaXaPLXeV5W3phjsO6kVwR8Y";
static const char VEC_HS256_EXPIRED_IN_LEEWAY[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE2OTk5OTk5NzF9.dKIzg2D6tHg98PWB0jcjRuVudr4193IJdbPLftfyUNM";
static const char VEC_HS256_NBF_LATER[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDAsIm5iZiI6MTcwMDAwMDAzMX0.QLyFizts_RrOcGXRL9bDRoFo8Ejs80Hw6JBGvo8WTm8";
static const char VEC_HS256_NBF_IN_LEEWAY[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDAsIm5iZiI6MTcwMDAwMDAyOX0.4xmNE9xcLrG6hau8kKKrpBVRAmOpb_svJ1vO-rSNcvA";
static const char VEC_HS256_NO_EXP[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.wdDny86GjMd0geYtJHDzCb-fhl3YcOPnh_rNfFpWoGg";
static const char VEC_HS256_EXP_STRING[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOiIxNzAwMDAzNjAwIn0.TxC4eaSBq0Jt632UsyFB1f_8azpm0bI5DT079FNpPZk";
static const char VEC_HS256_CRIT[] =
    "eyJhbGciOiJIUzI1NiIsImNyaXQiOlsiZXhwIl0sInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.-s1wsxyj9RYCPGbsuYYTAeptEvM7a0qNQYHcSciRFm8";
static const char VEC_HS256_ARRAY[] =
    "eyJhbGciOiJIUzI1NiJ9.WzFd.trFRFE6sQb0LeAr-CMW1hjnVf1sjan634_nKJ9fAjqA";
static const char VEC_NONE[] =
    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.";
static const char VEC_RS256[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.HTB5rsK07Iik2J_DTX0VQxji7PolxpR698Vuw4LJYyWiME3U41wiaN-3dVKR9ENrYgwYXF6dMoDaRd13k09MKbvbXFerpkLsxrrDAsEiKY_cwpbAmy54Lpa81lB4VpHqYm8bPV8savz1l4Xxu0QLGY7_uNXqXqUhk-FkArakpZSFLoiHZ8LfTg-QDAj5gM5wcr0L3sPnjSDsnU2XvWNEU1emXf84bN4Z9eJ1dVmJMfAqU_yvACx7WE8IJRRH1bdlbIAOsMY3GUOVFCfAAQtCmk4ufa1m3fAqg6GTW2rvodkXBkNdRNlDIr6UW49OGu8j9two7i7Xvz-mnDt_a3RYdw";
static const char VEC_RS384[] =
    "eyJhbGciOiJSUzM4NCIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.BaQ04A1BqJ43XTcbMbmQUxZIkWf8AURhJqD-3XWFaqsmQSmqrXH1EwvLMjDLfqulDjFVIp1v4K831zG6mrPkZBoEWBVJZ29_9YNzB1B9BweFvBSDhFN6zwKiKnb40xPffFX7gS5nmxBr_ubCdxnjZfJ0drvm4B32a-SZLlgNq7H-fFdjTtlDzoonoc5zofYLHJT_SwDdvly7jq1pg8Mik1skl851ar0zHMkhhQbA9PRYV8jgUbIh438Y0LqgmVJ3-6Se2yO-zatgU8rHqSgteee-2pfxypHWKwZFRYzHBSXha4mwydUML2csgJv_l3XF4SlnS9_kcPmvtvOG1UMjsA";
static const char VEC_PS256[] =
    "eyJhbGciOiJQUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.abZ-yfA64FNDjX524qXpK2fYCb9l1FUtBG2zjjGq2TyBW2UL2riTJl_InxY4JqQxUK7lsF3z2RyVTyiCD-954uC43ZzLiuWMVlVf66MBD57tnb9Shvs9y-kQhxB1lHAosJjkJggfqdln69Niz6YfjOHTEupoTW1C8-7fNAq9KuWD1-0kCvLciMFmdV5XonFKQ7PXN-iFoBhuIzTpvSs3NmEmOzDBiMeDsXCBZ_uI_6PxiQZnHTbdKw163e3g8XUrtFKrIwoOR78i0Njr9pOM8lmKiQGIQ-L6jp9HuSyVMiPjynQtHcCBucc6KsHPSCXoiwZC-DFTbLljTwKgCVDmaA";
static const char VEC_ES256[] =
    "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.6zVvaE2XUOt39C6xBet_v1D0BK3Wpu-NjcBpqamn288OTuCfHYDGUadC5s5kxE-tmFa22mVD0WovlLCkFxGDVw";
static const char VEC_ES256_DER[] =
    "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.MEUCIEVspGRrmg3aLKBHVobBcq6NrGS0jMipDhuMtrLNNxDHAiEA1nxuQSc-oaRwRnRv7I7JR7JYjb69UewDJ9GJIrhoK-k";
static const char VEC_HS256_WITH_RSA_PEM[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInJvb21zIjpbIjEiLCJmbGVldC03OioiXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9.gtRt9yWMW5_xfEs-P2cRMGV9MEGxElJ90_M1acKyRPo";
