/* Functions dash-ag-grid column definitions call by name. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* A number in the page's language: grouped thousands, at most `decimals` (default 1) places. */
dagfuncs.bscNumber = function (value, decimals) {
    if (value === null || value === undefined || value === "" || isNaN(value)) {
        return "–";
    }
    var places = decimals === undefined ? (Math.abs(value) >= 100 ? 0 : 1) : decimals;
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
        maximumFractionDigits: places,
    }).format(value);
};

/* A number as stored, in the page's language: grouped thousands, its own decimals (up to 10). */
dagfuncs.bscGrouped = function (value) {
    if (value === null || value === undefined || value === "" || isNaN(value)) {
        return "";
    }
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
        maximumFractionDigits: 10,
    }).format(value);
};
